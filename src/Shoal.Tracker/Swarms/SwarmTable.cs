using System.Collections.Concurrent;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Every swarm's peers in memory, one lock per swarm so announces to different torrents never wait
/// for each other, within the <see cref="PeerCaps"/>. Peers are sampled straight into compact form.
/// The swarms recorded to and those left empty since the last save are kept apart, so a save costs
/// what changed, not the whole table.
/// </summary>
internal sealed class SwarmTable
{
    private readonly ConcurrentDictionary<InfoHashKey, PeerSwarm> _swarms = new();
    private readonly Lock _changedLock = new();
    private readonly ConcurrentDictionary<InfoHashKey, bool> _emptied = new();
    private List<InfoHashKey> _changed = [];
    private readonly PeerLimits _limits;
    private readonly CompletedCounts _completed;
    private readonly Func<InfoHashKey, PeerSwarm> _create;

    // One delegate for every expiry sweep rather than one per swarm swept.
    private readonly Action<PeerAddress> _release;

    public SwarmTable(PeerCaps caps, CompletedCounts completed)
    {
        _limits = new PeerLimits(caps);
        _completed = completed;
        // A swarm carries its finished-download count, so an announce reads it without a second lookup.
        _create = infoHash => new PeerSwarm { Completed = _completed.Get(infoHash) };
        _release = _limits.Release;
    }

    public int SwarmCount => _swarms.Count;

    /// <summary>The peers of every swarm, kept as they come and go rather than summed over the swarms when asked.</summary>
    public int PeerCount => _limits.PeerCount;

    /// <summary>Records the announce and samples the answer's peers; a new peer beyond a cap is refused and not recorded.</summary>
    public TableAnswer Announce(in PeerAnnouncement announcement, long expiresAt)
    {
        while (true)
        {
            PeerSwarm swarm = _swarms.GetOrAdd(announcement.InfoHash, _create);
            lock (swarm)
            {
                if (swarm.IsRetired)
                {
                    continue;
                }

                bool known = swarm.Contains(announcement.Peer);
                bool stopped = announcement.Event == AnnounceEvent.Stopped;
                if (!known && !stopped && _limits.TryAdmit(announcement.Peer, swarm.Count) is { } refusal)
                {
                    RetireIfEmpty(announcement.InfoHash, swarm);
                    return TableAnswer.Refused(refusal);
                }

                Recorded recorded = swarm.Record(announcement.Peer, announcement.IsSeeder, announcement.Event, expiresAt);
                Mark(announcement.InfoHash, swarm, recorded);
                if (recorded.HasFlag(Recorded.Finished))
                {
                    swarm.Completed = _completed.Increment(announcement.InfoHash);
                }

                if (known && stopped)
                {
                    _limits.Release(announcement.Peer);
                }

                int wanted = Math.Min(announcement.NumWant, swarm.Count);
                // Room only for the families asked for (a UDP answer carries one): stack space is cleared on every call.
                int wanted4 = announcement.Families.HasFlag(PeerFamilies.IPv4) ? wanted : 0;
                int wanted6 = announcement.Families.HasFlag(PeerFamilies.IPv6) ? wanted : 0;
                Span<byte> peers4 = wanted4 <= 256 ? stackalloc byte[wanted4 * CompactInfo.IPv4PeerLength] : new byte[wanted4 * CompactInfo.IPv4PeerLength];
                Span<byte> peers6 = wanted6 <= 128 ? stackalloc byte[wanted6 * CompactInfo.IPv6PeerLength] : new byte[wanted6 * CompactInfo.IPv6PeerLength];
                (int bytes4, int bytes6) = swarm.Sample(announcement.Peer, announcement.IsSeeder, wanted, announcement.Families, peers4, peers6);
                var answer = new TableAnswer(swarm.Seeders, swarm.Leechers, swarm.Completed, peers4[..bytes4].ToArray(), peers6[..bytes6].ToArray());
                RetireIfEmpty(announcement.InfoHash, swarm);
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
                removed += swarm.Expire(now, _release);
                RetireIfEmpty(infoHash, swarm);
            }
        }

        return removed;
    }

    /// <summary>
    /// Queues for the next save every swarm whose peers only announced again since it was last saved. A
    /// save of every re-announce would rewrite nearly the whole table every few seconds (with many swarms,
    /// most of the tracker's work); instead the saved expiries lag by at most the time between two calls.
    /// </summary>
    public void MarkRefreshed()
    {
        foreach ((InfoHashKey infoHash, PeerSwarm swarm) in _swarms)
        {
            lock (swarm)
            {
                if (swarm.IsRefreshed && !swarm.IsRetired)
                {
                    MarkChanged(infoHash, swarm);
                }
            }
        }
    }

    /// <summary>
    /// The swarms whose peers joined, left or changed since the last call (and those <see cref="MarkRefreshed"/> queued), for <see cref="Copies"/>, and those left empty since
    /// and not back. Hand them back with <see cref="ReturnChanges"/> if they cannot be saved.
    /// </summary>
    public (List<InfoHashKey> Changed, List<InfoHashKey> Emptied) TakeChanges()
    {
        var emptied = new List<InfoHashKey>();
        foreach (InfoHashKey infoHash in _emptied.Keys)
        {
            _emptied.TryRemove(infoHash, out _);
            if (!_swarms.ContainsKey(infoHash))
            {
                emptied.Add(infoHash);
            }
        }

        // Taken after the emptied ones, which are deleted first: a swarm back since is written after.
        List<InfoHashKey> changed;
        lock (_changedLock)
        {
            changed = _changed;
            _changed = [];
        }

        return (changed, emptied);
    }

    /// <summary>
    /// Each of the <paramref name="changed"/> swarms still changed, copied under its own lock as the
    /// enumeration reaches it: an announce waits at most for one swarm's copy, and a save holds one
    /// copy at a time, not the table's.
    /// </summary>
    public IEnumerable<SavedSwarm> Copies(IReadOnlyList<InfoHashKey> changed)
    {
        foreach (InfoHashKey infoHash in changed)
        {
            if (_swarms.TryGetValue(infoHash, out PeerSwarm? swarm) && CopyIfChanged(swarm) is { } peers)
            {
                yield return new SavedSwarm(infoHash, peers);
            }
        }
    }

    /// <summary>Marks what <see cref="TakeChanges"/> gave as still to save.</summary>
    public void ReturnChanges(IEnumerable<InfoHashKey> changed, IEnumerable<InfoHashKey> emptied)
    {
        foreach (InfoHashKey infoHash in emptied)
        {
            _emptied.TryAdd(infoHash, true);
        }

        foreach (InfoHashKey infoHash in changed)
        {
            if (_swarms.TryGetValue(infoHash, out PeerSwarm? swarm))
            {
                lock (swarm)
                {
                    MarkChanged(infoHash, swarm);
                }
            }
        }
    }

    /// <summary>The new peers refused at each cap since the last call.</summary>
    public (long Total, long PerSwarm, long PerAddress) TakeRefusals() => _limits.TakeRefusals();

    /// <summary>
    /// Puts back the saved peers that have not expired by <paramref name="now"/>, with their expiry, as
    /// their announces would be: within the caps, the freshest first (a cap lowered since the save, or
    /// a table full, leaves out those that would have expired soonest). Returns how many came back and
    /// how many the caps left out. A saved expiry is at most a timeout after <paramref name="now"/>: one
    /// later, or a peer without a port, comes from a damaged save and would otherwise live for ever or be
    /// handed out unreachable.
    /// </summary>
    public (int Restored, int Refused) Restore(IReadOnlyList<SavedSwarm> saved, long now, TimeSpan peerTimeout)
    {
        long latest = now + (long)peerTimeout.TotalSeconds;
        var live = new List<(long ExpiresAt, int Swarm, int Entry)>();
        for (int s = 0; s < saved.Count; s++)
        {
            for (int e = 0; e < saved[s].Count; e++)
            {
                (PeerAddress peer, _, long expiresAt) = saved[s].ReadEntry(e);
                if (expiresAt > now && peer.Port != 0)
                {
                    live.Add((Math.Min(expiresAt, latest), s, e));
                }
            }
        }

        live.Sort(static (a, b) => b.ExpiresAt.CompareTo(a.ExpiresAt));
        int restored = 0, refused = 0;
        foreach ((long expiresAt, int s, int e) in live)
        {
            (PeerAddress peer, bool isSeeder, _) = saved[s].ReadEntry(e);
            PeerSwarm swarm = _swarms.GetOrAdd(saved[s].InfoHash, _create);
            lock (swarm)
            {
                if (swarm.Contains(peer))
                {
                    continue;
                }

                if (_limits.TryAdmit(peer, swarm.Count) is null)
                {
                    // Saved again as restored, without what the restore left out.
                    swarm.Record(peer, isSeeder, AnnounceEvent.None, expiresAt);
                    MarkChanged(saved[s].InfoHash, swarm);
                    restored++;
                }
                else
                {
                    refused++;
                    RetireIfEmpty(saved[s].InfoHash, swarm);
                }
            }
        }

        // Reported here, not as refused announces.
        _ = _limits.TakeRefusals();
        return (restored, refused);
    }

    // Called under the swarm's lock: an announcer that already holds this swarm sees it retired and
    // fetches (or creates) the current one instead of writing into a swarm nobody can find.
    private void RetireIfEmpty(InfoHashKey infoHash, PeerSwarm swarm)
    {
        if (swarm.Count == 0)
        {
            swarm.IsRetired = true;
            swarm.Release();
            _swarms.TryRemove(new KeyValuePair<InfoHashKey, PeerSwarm>(infoHash, swarm));
            _emptied.TryAdd(infoHash, true);
        }
    }

    // Under the swarm's lock: a peer who joined, left or changed is saved at the next save; one who only
    // announced again waits for MarkRefreshed.
    private void Mark(InfoHashKey infoHash, PeerSwarm swarm, Recorded recorded)
    {
        if (recorded.HasFlag(Recorded.Changed))
        {
            MarkChanged(infoHash, swarm);
        }
        else if (recorded.HasFlag(Recorded.Refreshed))
        {
            swarm.IsRefreshed = true;
        }
    }

    // Under the swarm's lock; queued once however many announces come before the save.
    private void MarkChanged(InfoHashKey infoHash, PeerSwarm swarm)
    {
        if (!swarm.IsChanged)
        {
            swarm.IsChanged = true;
            lock (_changedLock)
            {
                _changed.Add(infoHash);
            }
        }
    }

    private static byte[]? CopyIfChanged(PeerSwarm swarm)
    {
        lock (swarm)
        {
            if (!swarm.IsChanged || swarm.IsRetired)
            {
                return null;
            }

            swarm.IsChanged = false;
            swarm.IsRefreshed = false;
            return swarm.Save();
        }
    }
}
