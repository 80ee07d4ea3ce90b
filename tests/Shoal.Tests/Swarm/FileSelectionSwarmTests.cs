using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;

namespace Shoal.Tests.Swarm;

/// <summary>Leechers that want only some pieces: they fetch those, finish as partial seeds, and follow a change of mind at once.</summary>
public sealed class FileSelectionSwarmTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_leecher_wanting_half_the_pieces_fetches_only_those_and_finishes_as_a_partial_seed()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 11);
        scenario.AddSeeder();
        SimulatedNode partial = scenario.AddLeecher();
        int pieces = scenario.Torrent.PieceCount;
        FilePriority[] wanted = [.. Enumerable.Range(0, pieces).Select(p => p < pieces / 2 ? FilePriority.Normal : FilePriority.Skip)];
        partial.Swarm.SetPiecePriorities(wanted);

        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => partial.Swarm.IsComplete, Deadline), "the partial download did not finish");
        scenario.Network.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(pieces / 2, partial.Swarm.Have.Count);
        Assert.All(Enumerable.Range(0, pieces / 2), p => Assert.True(partial.Swarm.Have[p]));
        SwarmStatus status = partial.Swarm.GetStatus();
        Assert.Equal(1.0, status.Progress);
        Assert.Equal(0, status.Left);
        Assert.True(status.Downloaded <= status.WantedBytes, $"fetched {status.Downloaded} bytes for {status.WantedBytes} wanted");

        // A seed and a partial seed have nothing for each other: the connection is closed.
        Assert.Empty(partial.Swarm.Peers);
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task Wanting_more_mid_download_takes_effect_at_once_and_high_priority_pieces_come_first()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 12);
        SimulatedNode seeder = scenario.AddSeeder();
        seeder.UploadBandwidth = 512 * 1024;
        SimulatedNode leecher = scenario.AddLeecher();
        int pieces = scenario.Torrent.PieceCount;
        FilePriority[] firstQuarter = [.. Enumerable.Range(0, pieces).Select(p => p < pieces / 4 ? FilePriority.Normal : FilePriority.Skip)];
        leecher.Swarm.SetPiecePriorities(firstQuarter);

        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.Have.Count >= 2, Deadline));
        Assert.False(leecher.Swarm.IsComplete);

        // The user now wants everything, the last quarter first.
        FilePriority[] everything = [.. Enumerable.Range(0, pieces).Select(p => p >= pieces * 3 / 4 ? FilePriority.High : FilePriority.Normal)];
        leecher.Swarm.SetPiecePriorities(everything);
        var order = new List<int>();
        Assert.True(scenario.Network.RunUntil(
            () =>
            {
                order.AddRange(Enumerable.Range(0, pieces).Where(p => leecher.Swarm.Have[p] && !order.Contains(p)));
                return leecher.Swarm.IsComplete;
            },
            Deadline));

        scenario.AssertLeechersHaveContent();
        int[] high = [.. Enumerable.Range(pieces * 3 / 4, pieces - (pieces * 3 / 4))];

        // Pieces already started finish first; after them, every high piece comes before any other new one.
        int lastHigh = order.FindLastIndex(p => high.Contains(p));
        int normalsBeforeLastHigh = order.Take(lastHigh).Count(p => !high.Contains(p));
        Assert.True(normalsBeforeLastHigh <= (pieces / 4) + 4, $"order: {string.Join(',', order)}");
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task Skipping_the_rest_mid_download_completes_the_download_at_once()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 13);
        SimulatedNode seeder = scenario.AddSeeder();
        seeder.UploadBandwidth = 256 * 1024;
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.Have.Count >= 4, Deadline));

        int pieces = scenario.Torrent.PieceCount;
        leecher.Swarm.SetPiecePriorities([.. Enumerable.Range(0, pieces).Select(p => leecher.Swarm.Have[p] ? FilePriority.Normal : FilePriority.Skip)]);

        Assert.True(leecher.Swarm.IsComplete);
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.Peers.Count == 0, TimeSpan.FromSeconds(30)), "the started pieces were not finished, or the seed kept");
        Assert.True(leecher.Swarm.Have.Count < pieces);
        scenario.StopAndAssertBuffersReturned();
    }
}
