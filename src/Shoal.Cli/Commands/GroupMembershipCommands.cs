using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal group join|requests|accept|reject|leave|remove …`: who is in a group.</summary>
public static class GroupMembershipCommands
{
    public static IEnumerable<Command> Build()
    {
        yield return OnGroup("join", "Ask to join a group; its owner accepts or rejects", (call, group) => call.Client.RequestToJoinAsync(group, call.CancellationToken), group => $"asked to join {group}: its owner must accept");
        yield return Requests();
        yield return OnMember("accept", "Let a user who asked into your group", (client, group, user, ct) => client.AcceptAsync(group, user, ct), (group, user) => $"{user} is now a member of {group}");
        yield return OnMember("reject", "Turn down a user's request to join your group", (client, group, user, ct) => client.RejectAsync(group, user, ct), (group, user) => $"rejected {user}'s request to join {group}");
        yield return OnGroup("leave", "Leave a group (its owner deletes it instead)", (call, group) => call.Client.RemoveMemberAsync(group, call.Login.Name, call.CancellationToken), group => $"left {group}");
        yield return OnMember("remove", "Remove a member from your group: their announces are refused from now on", (client, group, user, ct) => client.RemoveMemberAsync(group, user, ct), (group, user) => $"removed {user} from {group}");
    }

    private static Command Requests()
    {
        var group = GroupCommand.GroupArgument();
        var json = GroupCommand.JsonOption();
        return LoggedInCommand.Build("requests", "List the requests to join a group you own", async call =>
        {
            JoinRequest[] requests = await call.Client.GetJoinRequestsAsync(call.Parse.GetValue(group)!, call.CancellationToken).ConfigureAwait(false);
            if (call.Parse.GetValue(json))
            {
                await CliJson.WriteAsync(call.Runtime.Output, requests, CliJson.Output.JoinRequestArray).ConfigureAwait(false);
                return;
            }

            var table = new Table().AddColumn("user").AddColumn("asked");
            foreach (JoinRequest request in requests)
            {
                table.AddRow(new Text(request.User), new Text($"{request.Requested:u}"));
            }

            call.Runtime.Tables.Write(table.Caption(requests.Length == 0 ? "no request" : $"{requests.Length} request(s)"));
        }, group, json);
    }

    /// <summary>A subcommand that does one thing to GROUP and says so.</summary>
    public static Command OnGroup(string name, string description, Func<LoggedIn, string, Task> act, Func<string, string> done)
    {
        var group = GroupCommand.GroupArgument();
        return LoggedInCommand.Build(name, description, async call =>
        {
            string groupName = call.Parse.GetValue(group)!;
            await act(call, groupName).ConfigureAwait(false);
            await call.Runtime.Output.WriteLineAsync(done(groupName)).ConfigureAwait(false);
        }, group);
    }

    private static Command OnMember(string name, string description, Func<TrackerAccountClient, string, string, CancellationToken, Task> act, Func<string, string, string> done)
    {
        var group = GroupCommand.GroupArgument();
        var user = new Argument<string>("USER") { Description = "The user's name" };
        return LoggedInCommand.Build(name, description, async call =>
        {
            string groupName = call.Parse.GetValue(group)!;
            string userName = call.Parse.GetValue(user)!;
            await act(call.Client, groupName, userName, call.CancellationToken).ConfigureAwait(false);
            await call.Runtime.Output.WriteLineAsync(done(groupName, userName)).ConfigureAwait(false);
        }, group, user);
    }
}
