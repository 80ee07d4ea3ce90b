using System.Net;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// Local service discovery (BEP 14) without I/O: decides which info-hashes to announce when, and which
/// peers received announces reveal. Each torrent is announced on registration and every
/// <see cref="LsdOptions.AnnounceInterval"/> after; announces go out at most once per
/// <see cref="LsdOptions.MinSendInterval"/>, the most overdue torrents first, up to
/// <see cref="LsdMessageCodec.BatchCapacity"/> per announce. Private torrents are never announced
/// nor looked for (BEP 27). Thread-safe.
/// </summary>
public sealed class LocalDiscovery
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly LsdOptions _options;
    private readonly SourceRateLimiter _sources;

    /// <summary>By 20-byte hash (v2 hashes truncated, BEP 52): the hash registered and when it is next due.</summary>
    private readonly Dictionary<InfoHash, Announced> _torrents = [];
    private TimeSpan? _lastSent;

    /// <param name="cookie">Ours: announces carrying it are our own, come back by multicast loopback.</param>
    /// <param name="time">The clock for announce times and rate limits.</param>
    /// <param name="options">Timing and limits; <see cref="LsdOptions.Default"/> when null.</param>
    public LocalDiscovery(string cookie, TimeProvider time, LsdOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cookie);
        ArgumentNullException.ThrowIfNull(time);
        Cookie = cookie;
        _time = time;
        _start = time.GetTimestamp();
        _options = options ?? LsdOptions.Default;
        _sources = new SourceRateLimiter(_options.SourceBurst, _options.SourceRefillInterval, _options.MaxTrackedSources);
    }

    public string Cookie { get; }

    private TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>
    /// Announces <paramref name="infoHash"/> from now on, first as soon as the send rate allows. A private
    /// torrent is never announced: it is withdrawn if it was registered, and false is returned.
    /// Registering a torrent again keeps its schedule.
    /// </summary>
    public bool Announce(InfoHash infoHash, bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        if (isPrivate)
        {
            Withdraw(infoHash);
            return false;
        }

        lock (_lock)
        {
            _torrents.TryAdd(infoHash.Truncated, new Announced(infoHash, Now));
        }

        return true;
    }

    /// <summary>Stops announcing <paramref name="infoHash"/> and reporting its peers; false when it was not registered.</summary>
    public bool Withdraw(InfoHash infoHash)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        lock (_lock)
        {
            return _torrents.Remove(infoHash.Truncated);
        }
    }

    /// <summary>
    /// The 20-byte info-hashes to send in one announce now, and marks them sent; empty when none is due or
    /// the last announce was too recent.
    /// </summary>
    public IReadOnlyList<InfoHash> TakeDueAnnounce()
    {
        lock (_lock)
        {
            TimeSpan now = Now;
            if (_lastSent + _options.MinSendInterval > now)
            {
                return [];
            }

            List<InfoHash> due = [.. _torrents
                .Where(t => t.Value.Due <= now)
                .OrderBy(t => t.Value.Due)
                .Take(LsdMessageCodec.BatchCapacity)
                .Select(t => t.Key)];
            foreach (InfoHash infoHash in due)
            {
                _torrents[infoHash] = _torrents[infoHash] with { Due = now + _options.AnnounceInterval };
            }

            if (due.Count > 0)
            {
                _lastSent = now;
            }

            return due;
        }
    }

    /// <summary>How long until <see cref="TakeDueAnnounce"/> has something to send; infinite when nothing is registered.</summary>
    public TimeSpan UntilNextAnnounce()
    {
        lock (_lock)
        {
            if (_torrents.Count == 0)
            {
                return Timeout.InfiniteTimeSpan;
            }

            TimeSpan next = _torrents.Values.Min(t => t.Due);
            if (_lastSent + _options.MinSendInterval is { } allowed && allowed > next)
            {
                next = allowed;
            }

            TimeSpan now = Now;
            return next > now ? next - now : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Reads an announce datagram from <paramref name="source"/>: the peers it reveals for registered
    /// torrents, at the source address and the announced port. Our own announces and sources over their
    /// rate limit give none.
    /// </summary>
    /// <exception cref="LsdMessageException">The datagram is malformed.</exception>
    public IReadOnlyList<LsdPeer> Receive(IPAddress source, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(source);
        LsdMessage message = LsdMessageCodec.Decode(datagram);
        if (message.Cookie == Cookie)
        {
            return [];
        }

        IPAddress address = IPv4Mapping.Unmap(source);
        lock (_lock)
        {
            if (!_sources.TryAcquire(address, Now))
            {
                return [];
            }

            return [.. message.InfoHashes
                .Where(_torrents.ContainsKey)
                .Select(h => new LsdPeer(_torrents[h].InfoHash, new IPEndPoint(address, message.Port)))];
        }
    }

    private sealed record Announced(InfoHash InfoHash, TimeSpan Due);
}
