using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

/// <summary>
/// Runs a <see cref="Choker"/> round after round over a fixed set of peers, applying its verdicts the way
/// the swarm does, and records who held a slot when.
/// </summary>
internal sealed class ChokerSimulation
{
    private readonly Choker _choker;
    private readonly Dictionary<int, TimeSpan> _unchokedSince = [];
    private readonly List<ChokeCandidate> _candidates = [];

    public ChokerSimulation(ChokerSettings settings, int seed, params IEnumerable<SimulatedPeer> peers)
    {
        _choker = new Choker(settings, new Random(seed));
        Peers = [.. peers];
    }

    public List<SimulatedPeer> Peers { get; }

    public Choker Choker => _choker;

    public TimeSpan Now { get; private set; }

    /// <summary>The unchoke set of every round, in order.</summary>
    public List<HashSet<int>> Rounds { get; } = [];

    /// <summary>The longest time any peer stayed unchoked without a break.</summary>
    public TimeSpan LongestUnchoke { get; private set; }

    public HashSet<int> Step(bool seeding)
    {
        _candidates.Clear();
        foreach (SimulatedPeer peer in Peers)
        {
            bool unchoked = _unchokedSince.TryGetValue(peer.Id, out TimeSpan since);
            _candidates.Add(new ChokeCandidate(
                peer.Id,
                peer.IsInterested,
                unchoked,
                peer.IsSnubbed,
                peer.DownloadRate,
                unchoked ? peer.UploadRateWhenUnchoked : 0,
                unchoked ? Now - since : TimeSpan.Zero));
        }

        var unchoke = new HashSet<int>();
        _choker.Rechoke(_candidates, seeding, Now, unchoke);
        foreach (SimulatedPeer peer in Peers)
        {
            if (!unchoke.Contains(peer.Id))
            {
                _unchokedSince.Remove(peer.Id);
            }
            else if (!_unchokedSince.TryAdd(peer.Id, Now))
            {
                TimeSpan held = Now - _unchokedSince[peer.Id];
                LongestUnchoke = held > LongestUnchoke ? held : LongestUnchoke;
            }
        }

        Rounds.Add(unchoke);
        Now += _choker.Settings.RechokeInterval;
        return unchoke;
    }

    public void Run(bool seeding, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            Step(seeding);
        }
    }
}
