using System.Net;
using Shoal.Primitives;

namespace Shoal.Net;

/// <summary>
/// Addresses of a torrent's peers we may dial, with back-off: a peer that failed or dropped us is tried
/// again later and later (5 s doubling up to 10 min), and forgotten after <see cref="MaxFailures"/> failed
/// dials in a row; a peer that turned out to be us is never dialled. Whatever sources (and PEX senders)
/// hand us, at most <c>capacity</c> peers are kept: a newcomer takes the place of the idle peer that
/// failed most, the one least recently added or connected among those. A peer that was a seed when its
/// connection ended is dialled only while we want pieces: two seeds have nothing to say to each other, and
/// without this they would connect and drop each other after every back-off.
/// </summary>
public sealed class KnownPeers(int capacity = KnownPeers.DefaultCapacity)
{
    public const int DefaultCapacity = 1000;

    public const int MaxFailures = 10;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(10);
    private readonly Dictionary<IPEndPoint, Entry> _entries = [];
    private long _seen;

    public int Count => _entries.Count;

    /// <summary>Adds a peer; false when it was known already, or every known peer is being dialled or connected.</summary>
    public bool Add(IPEndPoint endPoint)
    {
        endPoint = IPv4Mapping.Unmap(endPoint);
        if (_entries.ContainsKey(endPoint) || (_entries.Count >= capacity && !MakeRoom()))
        {
            return false;
        }

        _entries.Add(endPoint, new Entry { Seen = ++_seen });
        return true;
    }

    /// <summary>Peers to dial now, marked as being dialled; known seeds only when <paramref name="seedsToo"/>.</summary>
    public IReadOnlyList<IPEndPoint> TakeDue(TimeSpan now, int max, bool seedsToo = true)
    {
        var due = new List<IPEndPoint>();
        foreach (var (endPoint, entry) in _entries)
        {
            if (due.Count >= max)
            {
                break;
            }

            if (entry.State == PeerDialState.Idle && entry.NextAttempt <= now && (seedsToo || !entry.IsSeed))
            {
                entry.State = PeerDialState.Busy;
                due.Add(endPoint);
            }
        }

        return due;
    }

    /// <summary>
    /// Marks a peer as being dialled now, whatever its back-off (a relay asked both sides to dial at once, BEP 55), adding
    /// it when new; false when it is being dialled or connected already, is us, or there is no room for it.
    /// </summary>
    public bool TryTakeNow(IPEndPoint endPoint)
    {
        endPoint = IPv4Mapping.Unmap(endPoint);
        if (!_entries.TryGetValue(endPoint, out Entry? entry))
        {
            if (!Add(endPoint))
            {
                return false;
            }

            entry = _entries[endPoint];
        }

        if (entry.State != PeerDialState.Idle)
        {
            return false;
        }

        entry.State = PeerDialState.Busy;
        return true;
    }

    /// <summary>A dial succeeded: the peer is connected.</summary>
    public void Connected(IPEndPoint endPoint)
    {
        if (_entries.TryGetValue(IPv4Mapping.Unmap(endPoint), out Entry? entry))
        {
            entry.State = PeerDialState.Busy;
            entry.Failures = 0;
            entry.Seen = ++_seen;
        }
    }

    /// <summary>A dial failed, or a connection ended (with a seed, when <paramref name="wasSeed"/>): try again after a back-off.</summary>
    public void Released(IPEndPoint endPoint, TimeSpan now, bool failed, bool wasSeed = false)
    {
        if (!_entries.TryGetValue(IPv4Mapping.Unmap(endPoint), out Entry? entry) || entry.State == PeerDialState.Never)
        {
            return;
        }

        entry.IsSeed = wasSeed;
        entry.Failures = failed ? entry.Failures + 1 : 1;
        if (entry.Failures >= MaxFailures)
        {
            _entries.Remove(IPv4Mapping.Unmap(endPoint));
            return;
        }

        double seconds = Math.Min(FirstRetry.TotalSeconds * Math.Pow(2, entry.Failures - 1), LastRetry.TotalSeconds);
        entry.NextAttempt = now + TimeSpan.FromSeconds(seconds);
        entry.State = PeerDialState.Idle;
    }

    /// <summary>Never dial this peer again (it is us, or it is banned).</summary>
    public void Forget(IPEndPoint endPoint)
    {
        if (_entries.TryGetValue(IPv4Mapping.Unmap(endPoint), out Entry? entry))
        {
            entry.State = PeerDialState.Never;
        }
    }

    private bool MakeRoom()
    {
        KeyValuePair<IPEndPoint, Entry>? weakest = null;
        foreach (KeyValuePair<IPEndPoint, Entry> known in _entries)
        {
            if (known.Value.State == PeerDialState.Idle && (weakest is not { } w || IsWeaker(known.Value, w.Value)))
            {
                weakest = known;
            }
        }

        return weakest is { } found && _entries.Remove(found.Key);
    }

    private static bool IsWeaker(Entry entry, Entry than) =>
        entry.Failures != than.Failures ? entry.Failures > than.Failures : entry.Seen < than.Seen;

    private enum PeerDialState
    {
        Idle,
        Busy,
        Never,
    }

    private sealed class Entry
    {
        public PeerDialState State { get; set; }

        public int Failures { get; set; }

        public TimeSpan NextAttempt { get; set; }

        /// <summary>It had every piece when its last connection ended.</summary>
        public bool IsSeed { get; set; }

        /// <summary>When the peer was added or last connected, in the order of those events.</summary>
        public long Seen { get; set; }
    }
}
