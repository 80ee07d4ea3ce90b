using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>`shoal status`: who is logged in on which tracker, and until when.</summary>
public static class StatusCommand
{
    public static Command Build()
    {
        var command = new Command("status", "Show who is logged in, on which tracker, until when");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            LoginState? login = LoginFile.Read(ShoalConfiguration.ConfigDirectory);
            string line = login switch
            {
                null => "not logged in",
                _ when login.HasExpired(DateTimeOffset.UtcNow) => $"not logged in: the login of {login.Name} on {login.Tracker} expired at {login.ExpiresAt:u}",
                _ => $"logged in as {login.Name} on {login.Tracker} until {login.ExpiresAt:u}",
            };
            await runtime.Output.WriteLineAsync(line).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
