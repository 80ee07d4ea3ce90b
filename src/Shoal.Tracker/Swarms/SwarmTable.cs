using System.Collections.Concurrent;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Every swarm's peers in memory, one lock per swarm so announces to different torrents never wait
/// for each other. Peers are sampled straight into compact form.
/// </summary>
internal sealed class SwarmTable
{
    private readonly ConcurrentDictionary<InfoHashKey, PeerSwarm> _swarms = new();
    private int _peerCount;

    public int SwarmCount => _swarms.Count;

    /// <summary>The peers of every swarm, kept as they come and go rather than summed over the swarms when asked.</summary>
    public int PeerCount => Volatile.Read(ref _peerCount);

    /// <summary>
    /// Records the announce and samples the answer's peers. Returns whether the announce counts as a
    /// finished download, the swarm's seeders and leechers after it, and the peers in compact form.
    /// </summary>
    public (bool Finished, int Seeders, int Leechers, byte[] Peers4, byte[] Peers6) Announce(in PeerAnnouncement announcement, long expiresAt)
    {
        while (true)
        {
            PeerSwarm swarm = _swarms.GetOrAdd(announcement.InfoHash, static _ => new PeerSwarm());
            lock (swarm)
            {
                if (swarm.IsRetired)
                {
                    continue;
                }

                int before = swarm.Count;
                bool finished = swarm.Record(announcement.Peer, announcement.IsSeeder, announcement.Event, expiresAt);
                Interlocked.Add(ref _peerCount, swarm.Count - before);
                int wanted = Math.Min(announcement.NumWant, swarm.Count);
                Span<byte> peers4 = wanted <= 256 ? stackalloc byte[wanted * CompactInfo.IPv4PeerLength] : new byte[wanted * CompactInfo.IPv4PeerLength];
                Span<byte> peers6 = wanted <= 128 ? stackalloc byte[wanted * CompactInfo.IPv6PeerLength] : new byte[wanted * CompactInfo.IPv6PeerLength];
                (int bytes4, int bytes6) = swarm.Sample(announcement.Peer, announcement.IsSeeder, wanted, announcement.Families, peers4, peers6);
                var answer = (finished, swarm.Seeders, swarm.Leechers, peers4[..bytes4].ToArray(), peers6[..bytes6].ToArray());
                if (swarm.Count == 0)
                {
                    Retire(announcement.InfoHash, swarm);
                }

                return answer;
            }
        }
    }

    public (int Seeders, int Leechers) Counts(InfoHashKey infoHash)
    {
        if (!_swarms.TryGetValue(infoHash, out PeerSwarm? swarm))
        {
            return (0, 0);
        }

        lock (swarm)
        {
            return (swarm.Seeders, swarm.Leechers);
        }
    }

    /// <summary>Drops every peer whose announces stopped, and swarms left empty; returns the peers dropped.</summary>
    public int Expire(long now)
    {
        int removed = 0;
        foreach ((InfoHashKey infoHash, PeerSwarm swarm) in _swarms)
        {
            lock (swarm)
            {
                int expired = swarm.Expire(now);
                Interlocked.Add(ref _peerCount, -expired);
                removed += expired;
                if (swarm.Count == 0)
                {
                    Retire(infoHash, swarm);
                }
            }
        }

        return removed;
    }

    /// <summary>Every swarm's peers, each swarm copied under its own lock, so an announce waits at most for one swarm's copy.</summary>
    public List<SavedSwarm> Save()
    {
        var saved = new List<SavedSwarm>(_swarms.Count);
        foreach ((InfoHashKey infoHash, PeerSwarm swarm) in _swarms)
        {
            lock (swarm)
            {
                saved.Add(new SavedSwarm(infoHash, swarm.Save()));
            }
        }

        return saved;
    }

    /// <summary>
    /// Puts back the saved peers that have not expired by <paramref name="now"/>, with their expiry; returns how many.
    /// A saved expiry is at most a timeout after <paramref name="now"/>: one later, or a peer without a port, comes
    /// from a damaged save and would otherwise live for ever or be handed out unreachable.
    /// </summary>
    public int Restore(SavedSwarm saved, long now, TimeSpan peerTimeout)
    {
        long latest = now + (long)peerTimeout.TotalSeconds;
        PeerSwarm swarm = _swarms.GetOrAdd(saved.InfoHash, static _ => new PeerSwarm());
        lock (swarm)
        {
            int before = swarm.Count;
            for (int i = 0; i < saved.Count; i++)
            {
                (PeerAddress peer, bool isSeeder, long expiresAt) = saved.ReadEntry(i);
                if (expiresAt > now && peer.Port != 0)
                {
                    swarm.Record(peer, isSeeder, AnnounceEvent.None, Math.Min(expiresAt, latest));
                }
            }

            int restored = swarm.Count - before;
            Interlocked.Add(ref _peerCount, restored);
            if (swarm.Count == 0)
            {
                Retire(saved.InfoHash, swarm);
            }

            return restored;
        }
    }

    // Called under the swarm's lock: an announcer that already holds this swarm sees it retired and
    // fetches (or creates) the current one instead of writing into a swarm nobody can find.
    private void Retire(InfoHashKey infoHash, PeerSwarm swarm)
    {
        swarm.IsRetired = true;
        _swarms.TryRemove(new KeyValuePair<InfoHashKey, PeerSwarm>(infoHash, swarm));
    }
}
