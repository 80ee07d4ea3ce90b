using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Net;

/// <summary>
/// What a connection needs of its torrent: the swarm and the lock that serializes calls into it, storage to serve
/// blocks from, rate limits, and the timer of the torrent's deferred flushes.
/// </summary>
internal sealed record ConnectionContext(
    Torrent Torrent,
    TorrentSwarm Swarm,
    Lock Gate,
    IPieceStorage Storage,
    BandwidthLimiter Upload,
    BandwidthLimiter Download,
    BufferPool Pool,
    int MaxQueuedBlocks,
    DeferredFlushes Deferred);
