using System.Globalization;
using Shoal.Node.Api;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>The node's torrents as `shoal list` and `shoal watch` show them: one row each, sized for the terminal.</summary>
public static class TorrentTable
{
    private const int ShortId = 8;

    public static Table Build(TorrentList list, int consoleWidth)
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
                new Text(Progress(torrent.Progress)),
                new Text(ByteSize.Format(torrent.Size)),
                new Text(Rate(torrent.DownRate)),
                new Text(Rate(torrent.UpRate)),
                new Text(torrent.Peers.ToString(CultureInfo.InvariantCulture)),
                new Text(torrent.Progress >= 1 ? "" : Eta(torrent.Eta)),
                new Text(shortIds ? torrent.Id[..ShortId] : torrent.Id));
        }

        return table.Caption(list.Torrents.Count == list.Total ? $"{list.Total} torrent(s)" : $"{list.Torrents.Count} of {list.Total} torrents");
    }

    public static string Progress(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Rate(long bytesPerSecond) => ByteSize.Format(bytesPerSecond) + "/s";

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
