using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>`shoal user create NAME --tracker URL [--password-stdin]`: a new account on a Shoal tracker.</summary>
public static class UserCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "3 to 32 letters, digits, '_', '-' or '.'" };
        var tracker = AccountFlags.Tracker();
        var passwordStdin = AccountFlags.PasswordStdin();
        var create = new Command("create", "Create an account on a Shoal tracker (the password is asked for, at least 8 characters)") { name, tracker, passwordStdin };
        create.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            Uri address = CurrentLogin.ApiAddress(parse.GetValue(tracker)!);
            string user = parse.GetValue(name)!;
            using var http = new HttpClient();
            var client = new TrackerAccountClient(address, http, insecure: parse.GetValue(CliRuntime.InsecureOption));
            string password = await PasswordInput.ReadAsync(parse.GetValue(passwordStdin), confirm: true).ConfigureAwait(false);
            await client.CreateUserAsync(new Credentials(user, password), cancellationToken).ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"created user {user} on {address}: log in with 'shoal login {user} --tracker {address}'").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return new Command("user", "Accounts on a Shoal tracker") { create };
    }
}
