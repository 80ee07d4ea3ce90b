using System.CommandLine;
using System.Globalization;
using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal group files GROUP [--json]`: what a group's members share, with seeders and leechers.</summary>
public static class GroupFilesCommand
{
    public static Command Build()
    {
        var group = GroupCommand.GroupArgument();
        var json = GroupCommand.JsonOption();
        return LoggedInCommand.Build("files", "List the files shared in a group you are a member of", async call =>
        {
            GroupFile[] files = await call.Client.GetGroupFilesAsync(call.Parse.GetValue(group)!, call.CancellationToken).ConfigureAwait(false);
            if (call.Parse.GetValue(json))
            {
                await CliJson.WriteAsync(call.Runtime.Output, files, CliJson.Output.GroupFileArray).ConfigureAwait(false);
                return;
            }

            var table = new Table()
                .AddColumn("name")
                .AddColumn(new TableColumn("size").RightAligned().NoWrap())
                .AddColumn("owner")
                .AddColumn(new TableColumn("seeders").RightAligned().NoWrap())
                .AddColumn(new TableColumn("leechers").RightAligned().NoWrap());
            foreach (GroupFile file in files)
            {
                table.AddRow(
                    new Text(file.Name),
                    new Text(ByteSize.Format(file.Size)),
                    new Text(file.Owner),
                    new Text(file.Seeders.ToString(CultureInfo.InvariantCulture)),
                    new Text(file.Leechers.ToString(CultureInfo.InvariantCulture)));
            }

            call.Runtime.Tables.Write(table.Caption(files.Length == 0 ? "no file shared yet" : $"{files.Length} file(s)"));
        }, group, json);
    }
}
