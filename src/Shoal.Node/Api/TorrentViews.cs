using Shoal.Metainfo;
using Shoal.Node.Torrents;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary>Turns a node torrent and its live status into the API's view of it.</summary>
internal static class TorrentViews
{
    public static TorrentView From(NodeTorrent torrent) => From(torrent, torrent.Handle?.GetStatus());

    /// <summary>The view from a status already taken, so a caller that needs the status too takes it once.</summary>
    public static TorrentView From(NodeTorrent torrent, TorrentStatus? status)
    {
        double progress = status?.Swarm.Progress ?? 0;
        return new TorrentView(
            torrent.Id,
            torrent.Name,
            Name(torrent.State),
            progress,
            torrent.Size,
            status?.Swarm.Downloaded ?? 0,
            status?.Swarm.Uploaded ?? 0,
            status?.Swarm.DownloadRate ?? 0,
            status?.Swarm.UploadRate ?? 0,
            status?.Swarm.Peers.Count ?? 0,
            status?.Swarm.Peers.Count(p => p.IsSeed) ?? 0,
            Eta(status),
            torrent.Stored.SavePath,
            torrent.MagnetUri,
            torrent.Hashes.V1?.ToHex(),
            torrent.Hashes.V2?.ToHex(),
            torrent.Stored.AddedAt,
            status?.Error ?? torrent.Stored.Error);
    }

    public static string Name(Storage.NodeTorrentState state) => state.ToString().ToLowerInvariant();

    /// <summary>Seconds to completion at the current rate: 0 when complete, null while nothing arrives.</summary>
    private static long? Eta(TorrentStatus? status)
    {
        if (status is null)
        {
            return null;
        }

        long left = status.Swarm.Left;
        return left <= 0 ? 0 : status.Swarm.DownloadRate > 0 ? (left + status.Swarm.DownloadRate - 1) / status.Swarm.DownloadRate : null;
    }
}
