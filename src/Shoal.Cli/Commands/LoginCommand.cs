using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>`shoal login NAME --tracker URL [--password-stdin]`: logs in and keeps the login for later commands.</summary>
public static class LoginCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The account's name" };
        var tracker = AccountFlags.Tracker();
        var passwordStdin = AccountFlags.PasswordStdin();
        var command = new Command("login", "Log in to a Shoal tracker; later commands act as this user there") { name, tracker, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            Uri address = CurrentLogin.ApiAddress(parse.GetValue(tracker)!);
            using var http = new HttpClient();
            var client = new TrackerAccountClient(address, http, insecure: parse.GetValue(CliRuntime.InsecureOption));
            string password = await PasswordInput.ReadAsync(parse.GetValue(passwordStdin), confirm: false).ConfigureAwait(false);
            LoginResult result = await client.LoginAsync(new Credentials(parse.GetValue(name)!, password), cancellationToken).ConfigureAwait(false);
            LoginFile.Write(ShoalConfiguration.ConfigDirectory, CurrentLogin.From(address, result));
            await runtime.Output.WriteLineAsync($"logged in as {result.Name} on {address} until {result.ExpiresAt:u}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
