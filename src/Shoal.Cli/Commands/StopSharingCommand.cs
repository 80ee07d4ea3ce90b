using System.CommandLine;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>`shoal stop-sharing GROUP NAME`: the file is no longer listed in the group nor tracked.</summary>
public static class StopSharingCommand
{
    public static Command Build()
    {
        var group = GroupCommand.GroupArgument();
        var name = new Argument<string>("NAME") { Description = "The file's name (or info-hash) as 'shoal group files' lists it" };
        return LoggedInCommand.Build("stop-sharing", "Stop sharing a file in a group (its sharer or the group's owner)", async call =>
        {
            string groupName = call.Parse.GetValue(group)!;
            GroupFile file = await GroupFileLookup.FindAsync(call.Client, groupName, call.Parse.GetValue(name)!, call.CancellationToken).ConfigureAwait(false);
            await call.Client.StopSharingAsync(groupName, GroupFileLookup.HashOf(file), call.CancellationToken).ConfigureAwait(false);
            await call.Runtime.Output.WriteLineAsync($"stopped sharing {file.Name} in {groupName}").ConfigureAwait(false);
        }, group, name);
    }
}
