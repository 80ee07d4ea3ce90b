using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Net.WebSeeds;

/// <summary>
/// What a web seed connection needs of its torrent: the swarm and the lock that serializes calls into it, where
/// files lie (<see cref="ContentMap"/>), the HTTP client, the download limit, buffers and time, and how many requested
/// blocks it may hold waiting.
/// </summary>
internal sealed record WebSeedContext(
    Torrent Torrent,
    ContentMap Map,
    TorrentSwarm Swarm,
    Lock Gate,
    HttpClient Http,
    BandwidthLimiter Download,
    BufferPool Pool,
    TimeProvider Time,
    int MaxQueuedBlocks);
