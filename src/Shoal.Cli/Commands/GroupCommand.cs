using System.CommandLine;
using System.Globalization;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal group create|list|delete …` and the membership and file subcommands, as the current login.</summary>
public static class GroupCommand
{
    public static Command Build()
    {
        var group = new Command("group", "Private groups on the tracker of the current login: members share files only among themselves");
        group.Subcommands.Add(Create());
        group.Subcommands.Add(List());
        foreach (Command command in GroupMembershipCommands.Build())
        {
            group.Subcommands.Add(command);
        }

        group.Subcommands.Add(GroupMembershipCommands.OnGroup(
            "delete", "Delete a group you own, with its members and files", (call, name) => call.Client.DeleteGroupAsync(name, call.CancellationToken), name => $"deleted group {name}"));
        group.Subcommands.Add(GroupFilesCommand.Build());
        return group;
    }

    public static Argument<string> GroupArgument() => new("GROUP") { Description = "The group's name" };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts instead of a table" };

    private static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "3 to 32 letters, digits, '_', '-' or '.'" };
        return LoggedInCommand.Build("create", "Create a group; you are its owner", async call =>
        {
            GroupSummary created = await call.Client.CreateGroupAsync(call.Parse.GetValue(name)!, call.CancellationToken).ConfigureAwait(false);
            await call.Runtime.Output.WriteLineAsync($"created group {created.Name} (owner {created.Owner})").ConfigureAwait(false);
        }, name);
    }

    private static Command List()
    {
        var json = JsonOption();
        return LoggedInCommand.Build("list", "List every group: name, owner, members", async call =>
        {
            GroupSummary[] groups = await call.Client.GetGroupsAsync(call.CancellationToken).ConfigureAwait(false);
            if (call.Parse.GetValue(json))
            {
                await CliJson.WriteAsync(call.Runtime.Output, groups, CliJson.Output.GroupSummaryArray).ConfigureAwait(false);
                return;
            }

            var table = new Table().AddColumn("name").AddColumn("owner").AddColumn(new TableColumn("members").RightAligned());
            foreach (GroupSummary summary in groups)
            {
                table.AddRow(new Text(summary.Name), new Text(summary.Owner), new Text(summary.Members.ToString(CultureInfo.InvariantCulture)));
            }

            call.Runtime.Tables.Write(table.Caption(groups.Length == 0 ? "no group yet" : $"{groups.Length} group(s)"));
        }, json);
    }
}
