using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;

namespace Shoal.Tests.Swarm;

/// <summary>
/// Initial seeding (BEP 16) in whole in-memory swarms on virtual time: while it is the only seed, the seeder sends no
/// block twice before every block went out once, and every leecher still finishes, whatever it wants.
/// </summary>
public sealed class InitialSeedingSwarmTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);
    private static readonly SwarmSettings InitialSeed = SwarmSettings.Default with { InitialSeeding = true };

    [Theory]
    [InlineData(8, 21)]
    [InlineData(32, 22)]
    public async Task The_only_seed_sends_no_block_twice_before_every_block_went_out_once_and_every_leecher_finishes(int leechers, int seed)
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync((2 * 1024 * 1024) + 1234, 32 * 1024, seed);
        SimulatedNode seeder = scenario.AddSeeder(InitialSeed);
        seeder.UploadBandwidth = 512 * 1024;
        var sent = new SentBlocks(scenario.Torrent);
        seeder.BlockSent = sent.Add;
        for (int i = 0; i < leechers; i++)
        {
            scenario.AddLeecher();
        }

        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leechers did not finish");
        scenario.AssertLeechersHaveContent();

        Assert.True(sent.FirstRepeat is null || sent.AllSentWhenFirstRepeated,
            $"block {sent.FirstRepeat} went out a second time while {sent.NeverSentAtFirstRepeat} blocks had never gone out");
        Assert.False(seeder.Swarm.IsInitialSeeding);
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_lone_leecher_of_an_initial_seed_is_as_fast_as_from_an_ordinary_seed()
    {
        TimeSpan ordinary = await LoneLeecherTime(SwarmSettings.Default);
        TimeSpan initial = await LoneLeecherTime(InitialSeed);

        // Offers are topped up on each request, so the leecher's pipeline never waits for a HAVE.
        Assert.True(initial <= ordinary * 1.05, $"{initial} from an initial seed against {ordinary} from an ordinary one");
    }

    [Fact]
    public async Task Leechers_wanting_only_some_files_finish_and_the_rest_still_goes_out()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 23);
        scenario.AddSeeder(InitialSeed with { InitialSeedingOfferTimeout = TimeSpan.FromSeconds(5) });
        int pieces = scenario.Torrent.PieceCount;
        SimulatedNode firstHalf = scenario.AddLeecher();
        firstHalf.Swarm.SetPiecePriorities([.. Enumerable.Range(0, pieces).Select(p => p < pieces / 2 ? FilePriority.Normal : FilePriority.Skip)]);
        SimulatedNode whole = scenario.AddLeecher();

        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "a leecher did not finish");
        Assert.Equal(pieces / 2, firstHalf.Swarm.Have.Count);
        Assert.True(whole.Swarm.Have.IsComplete);
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_second_seed_joining_ends_initial_seeding_and_the_leechers_see_every_piece()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 24);
        SimulatedNode initial = scenario.AddSeeder(InitialSeed);
        scenario.AddSeeder();
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        scenario.Network.RunFor(TimeSpan.FromMilliseconds(50));

        Assert.False(initial.Swarm.IsInitialSeeding);
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leecher did not finish");
        Assert.True(leecher.Swarm.GetStatus().DownloadedByPeerId.GetValueOrDefault(initial.PeerIdText) > 0, "the former initial seed served nothing");
        scenario.StopAndAssertBuffersReturned();
    }

    private static async Task<TimeSpan> LoneLeecherTime(SwarmSettings settings)
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(8 * 1024 * 1024, 256 * 1024, seed: 25);
        scenario.AddSeeder(settings);
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leecher did not finish");
        scenario.AssertLeechersHaveContent();
        scenario.StopAndAssertBuffersReturned();
        return leecher.CompletedAt!.Value;
    }

    /// <summary>Every block a node sent, in order, and what was still unsent when one first went out again.</summary>
    private sealed class SentBlocks(Torrent torrent)
    {
        private readonly HashSet<BlockRef> _sent = [];
        private readonly int _total = Enumerable.Range(0, torrent.PieceCount).Sum(p => (torrent.PieceSize(p) + PieceGeometry.BlockSize - 1) / PieceGeometry.BlockSize);

        public BlockRef? FirstRepeat { get; private set; }

        public int NeverSentAtFirstRepeat { get; private set; }

        public bool AllSentWhenFirstRepeated => NeverSentAtFirstRepeat == 0;

        public void Add(BlockRef block)
        {
            if (!_sent.Add(block) && FirstRepeat is null)
            {
                FirstRepeat = block;
                NeverSentAtFirstRepeat = _total - _sent.Count;
            }
        }
    }
}
