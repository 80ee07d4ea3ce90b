using Shoal.Discovery.Dht;
using Shoal.Node.Storage;

namespace Shoal.Node.Api;

/// <summary>The whole node at a glance: torrents by state, summed rates and byte counts, peers, and the DHT's routing table size.</summary>
public sealed record NodeStats(
    int Torrents,
    int Downloading,
    int Seeding,
    int Paused,
    long DownRate,
    long UpRate,
    long Downloaded,
    long Uploaded,
    int Peers,
    int DhtNodes)
{
    private static readonly string DownloadingState = TorrentViews.Name(NodeTorrentState.Downloading);
    private static readonly string SeedingState = TorrentViews.Name(NodeTorrentState.Seeding);
    private static readonly string PausedState = TorrentViews.Name(NodeTorrentState.Paused);

    /// <summary>What <c>GET /api/v1/stats</c> and the event stream's <c>stats</c> say, from the same views of the torrents.</summary>
    public static NodeStats Of(IReadOnlyCollection<TorrentView> torrents, DhtState? dht) => new(
        torrents.Count,
        torrents.Count(t => t.State == DownloadingState),
        torrents.Count(t => t.State == SeedingState),
        torrents.Count(t => t.State == PausedState),
        torrents.Sum(t => t.DownRate),
        torrents.Sum(t => t.UpRate),
        torrents.Sum(t => t.Downloaded),
        torrents.Sum(t => t.Uploaded),
        torrents.Sum(t => t.Peers),
        dht?.RoutingTableSize ?? 0);
}
