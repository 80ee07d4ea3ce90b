using System.CommandLine;
using System.Net;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Accounts;

/// <summary>What a command run on behalf of the current login gets.</summary>
public sealed record LoggedIn(CliRuntime Runtime, ParseResult Parse, LoginState Login, TrackerAccountClient Client, CancellationToken CancellationToken);

/// <summary>Wires a command that acts as the current login: an optional --tracker check, the API client with its token.</summary>
public static class LoggedInCommand
{
    public static Command Build(string name, string description, Func<LoggedIn, Task> action, params Symbol[] symbols)
    {
        var tracker = new Option<string?>("--tracker") { Description = "The tracker (default: the one logged in to, which it must be)" };
        var command = new Command(name, description) { tracker };
        foreach (Symbol symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            LoginState login = CurrentLogin.Require(parse.GetValue(tracker));
            using var http = new HttpClient();
            var client = new TrackerAccountClient(login.Tracker, http, login.Token, parse.GetValue(CliRuntime.InsecureOption));
            try
            {
                await action(new LoggedIn(runtime, parse, login, client, cancellationToken)).ConfigureAwait(false);
            }
            catch (TrackerAccountException e) when (e.Status == HttpStatusCode.Unauthorized)
            {
                throw new LoginException($"{e.Message}: {CurrentLogin.LoginAgain(login)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
