using System.Runtime.InteropServices;

namespace Shoal.Swarm;

/// <summary>
/// The choking algorithm of BEP 3 as the original client and libtorrent run it. While leeching, the
/// regular slots go to the interested, non-snubbed peers that upload fastest to us (tit-for-tat); while
/// seeding, to the peers we upload fastest to, each for at most <see cref="ChokerSettings.SeedingRotation"/>
/// while others wait. Optimistic slots go to random interested peers and move on every
/// <see cref="ChokerSettings.OptimisticRotation"/>; peers never unchoked before weigh three times as much,
/// so newcomers get their first pieces quickly. Uninterested peers are never unchoked; snubbed peers only
/// optimistically.
/// </summary>
/// <remarks>
/// Sans-I/O and not thread-safe: the swarm calls it from its own loop and passes the time in. Given the
/// same <see cref="Random"/> seed and the same calls, it makes the same choices.
/// </remarks>
public sealed class Choker
{
    private const int NewcomerWeight = 3;

    private readonly Random _random;
    private readonly Dictionary<int, ChokeHistory> _history = [];
    private readonly HashSet<int> _present = [];
    private readonly HashSet<int> _chosen = [];
    private readonly List<ChokeRank> _ranked = [];
    private readonly List<int> _pool = [];
    private TimeSpan? _lastRechoke;

    public Choker(ChokerSettings settings, Random random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        Settings = settings;
        _random = random;
    }

    public ChokerSettings Settings { get; }

    /// <summary>Whether <see cref="ChokerSettings.RechokeInterval"/> has passed since the last rechoke (or there was none).</summary>
    public bool IsDue(TimeSpan now) => _lastRechoke is not { } last || now - last >= Settings.RechokeInterval;

    /// <summary>
    /// Whether, with <paramref name="unchokedCount"/> peers unchoked, a newly interested peer can be unchoked
    /// at once instead of waiting for the next rechoke.
    /// </summary>
    public bool HasFreeSlot(int unchokedCount) => unchokedCount < Settings.RegularSlots + Settings.OptimisticSlots;

    /// <summary>Whether the peer holds an optimistic slot since the last rechoke.</summary>
    public bool IsOptimistic(int peerId) => _history.TryGetValue(peerId, out ChokeHistory? history) && history.OptimisticSince is not null;

    /// <summary>Drops what the choker remembers of a peer that disconnected.</summary>
    public void Forget(int peerId) => _history.Remove(peerId);

    /// <summary>
    /// Chooses the peers to have unchoked after this round and adds their ids to <paramref name="unchoke"/>;
    /// every other peer should be choked.
    /// </summary>
    public void Rechoke(IReadOnlyList<ChokeCandidate> peers, bool seeding, TimeSpan now, ICollection<int> unchoke)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(unchoke);
        _lastRechoke = now;
        SyncHistory(peers);
        _chosen.Clear();
        ChooseRegular(peers, seeding);
        ChooseOptimistic(peers, now);

        foreach (ChokeCandidate peer in peers)
        {
            ChokeHistory history = _history[peer.PeerId];
            history.JustRotated = false;
            if (_chosen.Contains(peer.PeerId))
            {
                history.EverUnchoked = true;
                unchoke.Add(peer.PeerId);
            }
            else if (peer.IsUnchoked)
            {
                history.LastChoked = now;
            }
        }
    }

    /// <summary>Makes sure every peer present has a history and drops the histories of peers gone.</summary>
    private void SyncHistory(IReadOnlyList<ChokeCandidate> peers)
    {
        _present.Clear();
        foreach (ChokeCandidate peer in peers)
        {
            _present.Add(peer.PeerId);
            ref ChokeHistory? history = ref CollectionsMarshal.GetValueRefOrAddDefault(_history, peer.PeerId, out _);
            history ??= new ChokeHistory();
        }

        if (_history.Count > _present.Count)
        {
            foreach (int peerId in _history.Keys)
            {
                if (!_present.Contains(peerId))
                {
                    _history.Remove(peerId);
                }
            }
        }
    }

    private void ChooseRegular(IReadOnlyList<ChokeCandidate> peers, bool seeding)
    {
        _ranked.Clear();
        for (int i = 0; i < peers.Count; i++)
        {
            ChokeCandidate peer = peers[i];
            if (!peer.IsInterested || peer.IsSnubbed)
            {
                continue;
            }

            bool hadTurn = seeding && peer.IsUnchoked && peer.UnchokedFor >= Settings.SeedingRotation;
            long rate = seeding ? peer.UploadRate : peer.DownloadRate;
            _ranked.Add(new ChokeRank(i, hadTurn, rate, peer.IsUnchoked, _history[peer.PeerId].LastChoked, _random.Next()));
        }

        _ranked.Sort(ChokeRank.Compare);
        int slots = Math.Min(Settings.RegularSlots, _ranked.Count);
        for (int i = 0; i < slots; i++)
        {
            _chosen.Add(peers[_ranked[i].Index].PeerId);
        }
    }

    private void ChooseOptimistic(IReadOnlyList<ChokeCandidate> peers, TimeSpan now)
    {
        int kept = KeepOptimistic(peers, now);
        int wanted = Settings.OptimisticSlots - kept;
        if (wanted <= 0)
        {
            return;
        }

        FillPool(peers, includeJustRotated: false);
        if (_pool.Count == 0)
        {
            FillPool(peers, includeJustRotated: true);
        }

        for (; wanted > 0 && _pool.Count > 0; wanted--)
        {
            int picked = PickWeighted(peers);
            ChokeCandidate peer = peers[_pool[picked]];
            _pool.RemoveAt(picked);
            _history[peer.PeerId].OptimisticSince = now;
            _chosen.Add(peer.PeerId);
        }
    }

    /// <summary>Keeps the optimistic unchokes that are still running; returns how many.</summary>
    private int KeepOptimistic(IReadOnlyList<ChokeCandidate> peers, TimeSpan now)
    {
        int kept = 0;
        foreach (ChokeCandidate peer in peers)
        {
            ChokeHistory history = _history[peer.PeerId];
            if (history.OptimisticSince is not { } since)
            {
                continue;
            }

            // A peer that earned a regular slot no longer needs the optimistic one.
            bool promoted = _chosen.Contains(peer.PeerId);
            bool expired = now - since >= Settings.OptimisticRotation;
            if (promoted || expired || !peer.IsInterested || kept >= Settings.OptimisticSlots)
            {
                history.OptimisticSince = null;
                history.JustRotated = expired && !promoted;
                continue;
            }

            _chosen.Add(peer.PeerId);
            kept++;
        }

        return kept;
    }

    private void FillPool(IReadOnlyList<ChokeCandidate> peers, bool includeJustRotated)
    {
        _pool.Clear();
        for (int i = 0; i < peers.Count; i++)
        {
            ChokeCandidate peer = peers[i];
            if (peer.IsInterested && !_chosen.Contains(peer.PeerId) && (includeJustRotated || !_history[peer.PeerId].JustRotated))
            {
                _pool.Add(i);
            }
        }
    }

    /// <summary>Draws a position in the pool, newcomers weighing <see cref="NewcomerWeight"/> times as much.</summary>
    private int PickWeighted(IReadOnlyList<ChokeCandidate> peers)
    {
        int total = 0;
        foreach (int index in _pool)
        {
            total += WeightOf(peers[index]);
        }

        int draw = _random.Next(total);
        for (int i = 0; i < _pool.Count; i++)
        {
            draw -= WeightOf(peers[_pool[i]]);
            if (draw < 0)
            {
                return i;
            }
        }

        return _pool.Count - 1;
    }

    private int WeightOf(ChokeCandidate peer) =>
        !peer.IsUnchoked && peer.UnchokedFor == TimeSpan.Zero && !_history[peer.PeerId].EverUnchoked ? NewcomerWeight : 1;
}
