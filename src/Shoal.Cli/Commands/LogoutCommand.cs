using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>`shoal logout`: ends the login on its tracker (its token and passkey stop working) and forgets it.</summary>
public static class LogoutCommand
{
    public static Command Build()
    {
        var command = new Command("logout", "Log out: the tracker revokes the login, and this computer forgets it");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            LoginState? login = LoginFile.Read(ShoalConfiguration.ConfigDirectory);
            if (login is null)
            {
                await runtime.Output.WriteLineAsync("not logged in").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            try
            {
                using var http = new HttpClient();
                await new TrackerAccountClient(login.Tracker, http, login.Token, parse.GetValue(CliRuntime.InsecureOption)).LogoutAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TrackerAccountException e)
            {
                // Forgotten here all the same: an expired login or a tracker that is gone must not keep one logged in.
                await Console.Error.WriteLineAsync($"shoal: warning: the tracker did not revoke the login: {e.Message}").ConfigureAwait(false);
            }

            LoginFile.Delete(ShoalConfiguration.ConfigDirectory);
            await runtime.Output.WriteLineAsync($"logged out {login.Name} from {login.Tracker}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
