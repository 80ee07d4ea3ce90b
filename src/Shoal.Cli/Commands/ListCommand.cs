using System.CommandLine;
using System.Globalization;
using Shoal.Cli.NodeApi;
using Shoal.Node.Api;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal list [--json]`: the running node's torrents.</summary>
public static class ListCommand
{
    private const int ShortId = 8;

    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "Print the torrent list as JSON for scripts" };
        var flags = new NodeFlags();
        var command = new Command("list", "List the running node's torrents with their state, progress and rates") { json, flags.Node, flags.Data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            using NodeClient client = flags.Connect(parse);
            TorrentList list = await client.ListAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, list).ConfigureAwait(false);
            }
            else
            {
                runtime.Tables.Write(Table(list, runtime.Tables.Profile.Width));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Table Table(TorrentList list, int consoleWidth)
    {
        // No column rules and one space between columns, so an 80-column terminal leaves the name some room.
        var table = new Table().Border(TableBorder.Simple).AddColumns(
            Column("name", wrap: true),
            Column("state"),
            Column("progress").RightAligned(),
            Column("size").RightAligned(),
            Column("down").RightAligned(),
            Column("up").RightAligned(),
            Column("peers").RightAligned(),
            Column("eta").RightAligned(),
            Column("id"));
        // On a narrow terminal the name gets the room and the id is shortened: `shoal pause|resume|remove`
        // take its start, and --json has it whole.
        bool shortIds = consoleWidth < 160;
        foreach (TorrentView torrent in list.Torrents)
        {
            table.AddRow(
                new Text(torrent.Name),
                new Text(torrent.State),
                new Text((torrent.Progress * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %"),
                new Text(ByteSize.Format(torrent.Size)),
                new Text(ByteSize.Format(torrent.DownRate) + "/s"),
                new Text(ByteSize.Format(torrent.UpRate) + "/s"),
                new Text(torrent.Peers.ToString(CultureInfo.InvariantCulture)),
                new Text(torrent.Progress >= 1 ? "" : Eta(torrent.Eta)),
                new Text(shortIds ? torrent.Id[..ShortId] : torrent.Id));
        }

        return table.Caption(list.Torrents.Count == list.Total ? $"{list.Total} torrent(s)" : $"{list.Torrents.Count} of {list.Total} torrents");
    }

    private static TableColumn Column(string header, bool wrap = false) => new TableColumn(header) { NoWrap = !wrap }.PadLeft(0);

    private static string Eta(long? seconds) => seconds switch
    {
        null => "∞",
        < 60 => $"{seconds}s",
        < 3600 => $"{seconds / 60}m",
        < 86400 => $"{seconds / 3600}h {seconds % 3600 / 60}m",
        _ => $"{seconds / 86400}d {seconds % 86400 / 3600}h",
    };
}
