using System.Net;
using Shoal.Primitives;

namespace Shoal.Net;

/// <summary>
/// Addresses of a torrent's peers we may dial, with back-off: a peer that failed or dropped us is tried
/// again later and later (5 s doubling up to 10 min); a peer that turned out to be us is never dialled.
/// </summary>
public sealed class KnownPeers
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(10);
    private readonly Dictionary<IPEndPoint, Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Adds a peer; false when it was known already.</summary>
    public bool Add(IPEndPoint endPoint) => _entries.TryAdd(IPv4Mapping.Unmap(endPoint), new Entry());

    /// <summary>Peers to dial now, marked as being dialled.</summary>
    public IReadOnlyList<IPEndPoint> TakeDue(TimeSpan now, int max)
    {
        var due = new List<IPEndPoint>();
        foreach (var (endPoint, entry) in _entries)
        {
            if (due.Count >= max)
            {
                break;
            }

            if (entry.State == PeerDialState.Idle && entry.NextAttempt <= now)
            {
                entry.State = PeerDialState.Busy;
                due.Add(endPoint);
            }
        }

        return due;
    }

    /// <summary>A dial succeeded: the peer is connected.</summary>
    public void Connected(IPEndPoint endPoint)
    {
        if (_entries.TryGetValue(IPv4Mapping.Unmap(endPoint), out Entry? entry))
        {
            entry.State = PeerDialState.Busy;
            entry.Failures = 0;
        }
    }

    /// <summary>A dial failed, or a connection ended: try again after a back-off.</summary>
    public void Released(IPEndPoint endPoint, TimeSpan now, bool failed)
    {
        if (!_entries.TryGetValue(IPv4Mapping.Unmap(endPoint), out Entry? entry) || entry.State == PeerDialState.Never)
        {
            return;
        }

        entry.Failures = failed ? entry.Failures + 1 : 1;
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
    }
}
