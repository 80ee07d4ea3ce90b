using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public class ChokerTests
{
    private static readonly ChokerSettings Defaults = new();

    /// <summary>Peers 0..count-1 whose download rate to us grows with their id.</summary>
    private static IEnumerable<SimulatedPeer> Uploaders(int count) =>
        Enumerable.Range(0, count).Select(id => new SimulatedPeer(id, DownloadRate: 1000 * (id + 1)));

    [Fact]
    public void Leeching_gives_regular_slots_to_the_peers_uploading_fastest_to_us()
    {
        var simulation = new ChokerSimulation(Defaults, seed: 1, Uploaders(10));

        HashSet<int> unchoked = simulation.Step(seeding: false);

        Assert.Equal(5, unchoked.Count);
        Assert.Superset(new HashSet<int> { 6, 7, 8, 9 }, unchoked);
        int optimistic = Assert.Single(unchoked.Except([6, 7, 8, 9]));
        Assert.True(simulation.Choker.IsOptimistic(optimistic));
    }

    [Fact]
    public void Uninterested_peers_are_never_unchoked_and_snubbed_ones_only_optimistically()
    {
        SimulatedPeer[] peers =
        [
            new(0, DownloadRate: 9000, IsInterested: false),
            new(1, DownloadRate: 8000, IsSnubbed: true),
            new(2, DownloadRate: 100),
            new(3, DownloadRate: 200),
        ];
        var simulation = new ChokerSimulation(Defaults, seed: 2, peers);

        for (int round = 0; round < 60; round++)
        {
            HashSet<int> unchoked = simulation.Step(seeding: round % 2 == 0);
            Assert.DoesNotContain(0, unchoked);
            Assert.Contains(2, unchoked);
            Assert.Contains(3, unchoked);
            if (unchoked.Contains(1))
            {
                Assert.True(simulation.Choker.IsOptimistic(1));
            }
        }

        Assert.Contains(simulation.Rounds, round => round.Contains(1));
    }

    [Fact]
    public void Without_optimistic_slots_snubbed_peers_stay_choked_even_with_free_regular_slots()
    {
        var settings = new ChokerSettings { OptimisticSlots = 0 };
        var simulation = new ChokerSimulation(settings, seed: 3, new SimulatedPeer(0, 5000, IsSnubbed: true), new SimulatedPeer(1, 10));

        Assert.Equal([1], simulation.Step(seeding: false));
    }

    [Fact]
    public void The_optimistic_slot_holds_for_30_seconds_then_moves_and_reaches_every_peer()
    {
        var simulation = new ChokerSimulation(Defaults, seed: 4, Uploaders(10));
        int[] regular = [6, 7, 8, 9];

        simulation.Run(seeding: false, rounds: 90);

        int[] optimistic = [.. simulation.Rounds.Select(round => Assert.Single(round.Except(regular)))];
        for (int turn = 0; turn + 3 <= optimistic.Length; turn += 3)
        {
            Assert.Equal(optimistic[turn], optimistic[turn + 1]);
            Assert.Equal(optimistic[turn], optimistic[turn + 2]);
            if (turn + 3 < optimistic.Length)
            {
                Assert.NotEqual(optimistic[turn], optimistic[turn + 3]);
            }
        }

        Assert.Equal([0, 1, 2, 3, 4, 5], optimistic.Distinct().Order());
    }

    [Fact]
    public void Newcomers_win_the_optimistic_slot_three_times_as_often()
    {
        static ChokeCandidate Waiting(int id) => new(id, true, false, false, 0, 0, TimeSpan.Zero);

        int newcomerWins = 0;
        const int Trials = 400;
        for (int seed = 0; seed < Trials; seed++)
        {
            var choker = new Choker(new ChokerSettings { RegularSlots = 0 }, new Random(seed));
            var unchoke = new List<int>();
            choker.Rechoke([Waiting(0)], seeding: false, TimeSpan.Zero, unchoke);
            choker.Rechoke([Waiting(0), Waiting(1)], seeding: false, TimeSpan.FromSeconds(30), unchoke);

            // Peer 1's turn has just ended; peer 0 had one before, peer 2 never did.
            unchoke.Clear();
            choker.Rechoke([Waiting(0), Waiting(1), Waiting(2)], seeding: false, TimeSpan.FromSeconds(60), unchoke);
            newcomerWins += unchoke.Contains(2) ? 1 : 0;
        }

        Assert.InRange(newcomerWins, Trials * 65 / 100, Trials * 85 / 100);
    }

    [Fact]
    public void Seeding_ranks_by_upload_rate_and_rotates_slots_among_more_peers_than_slots()
    {
        var peers = Enumerable.Range(0, 12).Select(id => new SimulatedPeer(id, UploadRateWhenUnchoked: 1000 + id));
        var simulation = new ChokerSimulation(Defaults, seed: 5, peers);

        // Three seeding rotations.
        simulation.Run(seeding: true, rounds: 18);

        Assert.All(simulation.Rounds, round => Assert.Equal(5, round.Count));
        Assert.Equal(Enumerable.Range(0, 12), simulation.Rounds.SelectMany(round => round).Distinct().Order());
        Assert.InRange(simulation.LongestUnchoke, TimeSpan.Zero, Defaults.SeedingRotation);
    }

    [Fact]
    public void Seeding_keeps_the_fastest_downloaders_from_us_within_their_turn()
    {
        var choker = new Choker(new ChokerSettings { OptimisticSlots = 0, RegularSlots = 2 }, new Random(6));
        ChokeCandidate[] peers =
        [
            new(0, true, true, false, 0, 500, TimeSpan.FromSeconds(20)),
            new(1, true, true, false, 0, 900, TimeSpan.FromSeconds(20)),
            new(2, true, true, false, 0, 700, TimeSpan.FromSeconds(20)),
            new(3, true, true, false, 0, 99_999, TimeSpan.FromSeconds(61)),
        ];
        var unchoke = new List<int>();

        choker.Rechoke(peers, seeding: true, TimeSpan.FromSeconds(100), unchoke);

        Assert.Equal([1, 2], unchoke.Order());
    }

    [Fact]
    public void The_same_seed_makes_the_same_choices()
    {
        static List<HashSet<int>> Run(int seed)
        {
            var simulation = new ChokerSimulation(Defaults, seed, Enumerable.Range(0, 20).Select(id => new SimulatedPeer(id, DownloadRate: id % 3, UploadRateWhenUnchoked: 50)));
            simulation.Run(seeding: false, rounds: 20);
            simulation.Run(seeding: true, rounds: 20);
            return simulation.Rounds;
        }

        List<HashSet<int>> first = Run(7);
        List<HashSet<int>> again = Run(7);
        List<HashSet<int>> other = Run(8);

        Assert.Equal(first.Count, again.Count);
        Assert.True(first.Zip(again).All(pair => pair.First.SetEquals(pair.Second)));
        Assert.False(first.Zip(other).All(pair => pair.First.SetEquals(pair.Second)));
    }

    [Fact]
    public void A_free_slot_lets_a_newly_interested_peer_in_and_rechokes_fall_due()
    {
        var choker = new Choker(Defaults, new Random(9));

        Assert.True(choker.HasFreeSlot(4));
        Assert.False(choker.HasFreeSlot(5));
        Assert.True(choker.IsDue(TimeSpan.Zero));
        choker.Rechoke([], seeding: false, TimeSpan.FromSeconds(3), new List<int>());
        Assert.False(choker.IsDue(TimeSpan.FromSeconds(12)));
        Assert.True(choker.IsDue(TimeSpan.FromSeconds(13)));
    }

    [Fact]
    public void Disconnected_peers_lose_their_optimistic_slot()
    {
        var choker = new Choker(new ChokerSettings { RegularSlots = 0 }, new Random(10));
        var unchoke = new List<int>();
        choker.Rechoke([new ChokeCandidate(1, true, false, false, 0, 0, TimeSpan.Zero)], seeding: false, TimeSpan.Zero, unchoke);
        Assert.True(choker.IsOptimistic(1));

        unchoke.Clear();
        choker.Rechoke([new ChokeCandidate(2, true, false, false, 0, 0, TimeSpan.Zero)], seeding: false, TimeSpan.FromSeconds(10), unchoke);

        Assert.Equal([2], unchoke);
        Assert.False(choker.IsOptimistic(1));
    }

    [Fact]
    public void Settings_reject_negative_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChokerSettings { RegularSlots = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChokerSettings { OptimisticSlots = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChokerSettings { OptimisticRotation = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChokerSettings { SeedingRotation = TimeSpan.FromTicks(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChokerSettings { RechokeInterval = TimeSpan.MinValue });
    }
}
