using System.Net;
using System.Text;
using Shoal.Metainfo;
using Shoal.Node.Torrents;
using Shoal.Primitives;
using Shoal.Session;
using Shoal.Swarm;

namespace Shoal.Node.Api;

/// <summary>Builds <see cref="TorrentDetails"/> from a torrent's handle: files from its pieces, peers and trackers from its status.</summary>
internal static class TorrentDetailViews
{
    public static TorrentDetails From(NodeTorrent torrent)
    {
        if (torrent.Handle is not { } handle)
        {
            return new TorrentDetails(TorrentViews.From(torrent, null)) { Files = [], Connections = [], Trackers = [], UploadLimit = torrent.UploadLimit, DownloadLimit = torrent.DownloadLimit, PieceCount = 0, Pieces = "" };
        }

        Torrent metadata = handle.Torrent;
        PieceSet pieces = handle.GetPieces();
        TorrentStatus status = handle.GetStatus();
        IReadOnlyList<FilePriority> priorities = handle.FilePriorities;
        return new TorrentDetails(TorrentViews.From(torrent, status))
        {
            Files = [.. metadata.Files.Index().Where(f => !f.Item.IsPadding).Select(f => File(metadata, pieces, f.Index, priorities[f.Index]))],
            Connections = [.. status.Swarm.Peers.Select(Connection)],
            Trackers = [.. status.Trackers.Select(Tracker)],
            UploadLimit = torrent.UploadLimit,
            DownloadLimit = torrent.DownloadLimit,
            PieceCount = pieces.Length,
            Pieces = Convert.ToBase64String(pieces.AsSpan()),
        };
    }

    private static FileView File(Torrent torrent, PieceSet pieces, int index, FilePriority priority)
    {
        FileEntry file = torrent.Files[index];
        return new(
            index,
            torrent.IsMultiFile ? $"{torrent.Name}/{file.DisplayPath}" : file.DisplayPath,
            file.Length,
            file.Length == 0 ? 1 : (double)torrent.BytesIn(pieces, file) / file.Length,
            FilePriorityNames.Name(priority));
    }

    // A web seed (BEP 19) is listed by its URL, its transport HTTP or HTTPS.
    private static ConnectionView Connection(PeerSnapshot peer) => peer.WebSeed is { } url
        ? new(url, "web seed", WebSeedTransport(url), WebSeedTransport(url) == "https", Flags(peer), peer.DownloadRate, peer.UploadRate, peer.Progress)
        : new(new IPEndPoint(peer.Address, peer.Port).ToString(), peer.Client, peer.Transport == PeerTransport.Utp ? "utp" : "tcp", peer.IsEncrypted, Flags(peer), peer.DownloadRate, peer.UploadRate, peer.Progress);

    private static string WebSeedTransport(string url) => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "https" : "http";

    private static string Flags(PeerSnapshot peer)
    {
        var flags = new StringBuilder(3);
        if (peer.AmInterested)
        {
            flags.Append(peer.PeerChoking ? 'd' : 'D');
        }

        if (peer.PeerInterested)
        {
            flags.Append(peer.AmChoking ? 'u' : 'U');
        }

        if (peer.IsSnubbed)
        {
            flags.Append('S');
        }

        return flags.ToString();
    }

    private static TrackerView Tracker(TrackerStatus tracker) => new(
        tracker.Url.ToString(),
        tracker.Tier,
        tracker.LastError is not null ? "error" : tracker.LastAnnounce is not null ? "working" : "not contacted",
        tracker.LastError,
        tracker.Seeders,
        tracker.Leechers,
        tracker.NextAnnounce);
}
