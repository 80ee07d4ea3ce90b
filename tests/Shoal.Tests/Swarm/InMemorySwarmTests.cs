using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;

namespace Shoal.Tests.Swarm;

/// <summary>Whole swarms in one process on virtual time: real swarm logic and wire bytes, no sockets, deterministic.</summary>
public sealed class InMemorySwarmTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task One_seeder_and_five_leechers_all_finish_and_leechers_trade_among_themselves()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(4 * 1024 * 1024 + 1234, 64 * 1024, seed: 1);
        SimulatedNode seeder = scenario.AddSeeder();
        seeder.UploadBandwidth = 2 * 1024 * 1024;
        for (int i = 0; i < 5; i++)
        {
            scenario.AddLeecher();
        }

        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leechers did not finish");
        scenario.AssertLeechersHaveContent();

        // The seeder's link is slower than the swarm's demand: leechers must have served each other.
        foreach (SimulatedNode leecher in scenario.Leechers)
        {
            SwarmStatus status = leecher.Swarm.GetStatus();
            long fromLeechers = scenario.Leechers.Where(l => l != leecher).Sum(l => status.DownloadedByPeerId.GetValueOrDefault(l.PeerIdText));
            Assert.True(fromLeechers > 0, $"{leecher.Name} got nothing from other leechers");
        }

        long totalFromLeechers = scenario.Leechers.Sum(l => l.Swarm.Uploaded);
        Assert.True(totalFromLeechers > scenario.Torrent.TotalSize, $"leechers uploaded only {totalFromLeechers} bytes to each other");
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_peer_sending_corrupt_blocks_is_banned_and_every_copy_is_still_correct()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 2);
        scenario.AddSeeder();
        SimulatedNode liar = scenario.AddSeeder();
        liar.CorruptPiece = piece => piece % 3 == 0;
        for (int i = 0; i < 3; i++)
        {
            scenario.AddLeecher();
        }

        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leechers did not finish");
        scenario.AssertLeechersHaveContent();
        foreach (SimulatedNode leecher in scenario.Leechers)
        {
            Assert.True(leecher.Swarm.IsBanned(liar.Address, liar.PeerId), $"{leecher.Name} did not ban the peer sending corrupt data");
            Assert.False(leecher.Swarm.IsBanned(scenario.Seeders[0].Address, scenario.Seeders[0].PeerId), $"{leecher.Name} banned the honest seeder");
            Assert.True(leecher.Swarm.HashFailures > 0);
        }

        scenario.StopAndAssertBuffersReturned();
    }

    /// <summary>
    /// BEP 52: a v2 piece that fails is not blamed on all its senders; its leaf hashes, asked of an honest peer and proven
    /// against the piece layer, show which block was bad, and its sender alone is banned, after that one piece.
    /// </summary>
    [Fact]
    public async Task A_peer_corrupting_one_block_of_a_v2_piece_is_banned_by_its_leaf_hash_with_no_strikes_against_anyone()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 5, TorrentVersion.V2);
        for (int i = 0; i < 3; i++)
        {
            scenario.AddSeeder();
        }

        SimulatedNode liar = scenario.AddSeeder();
        liar.CorruptBlock = block => block.Begin == PieceGeometry.BlockSize;
        SimulatedNode leecher = scenario.AddLeecher();

        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.IsBanned(liar.Address, liar.PeerId), Deadline), "the cheat was not banned");
        Assert.Equal(1, leecher.Swarm.BlocksConvicted);
        Assert.Equal(0, leecher.Swarm.PeersWithStrikes);
        Assert.All(scenario.Seeders.Where(s => s != liar), s => Assert.False(leecher.Swarm.IsBanned(s.Address, s.PeerId), $"{s.Name} was banned"));

        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leecher did not finish");
        scenario.AssertLeechersHaveContent();
        Assert.Equal(0, leecher.Swarm.PeersWithStrikes);
        Assert.True(scenario.Seeders.Where(s => s != liar).Sum(s => s.Swarm.HashRequestsAnswered) >= 1);
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_cheat_sharing_its_address_with_an_honest_neighbour_is_banned_alone()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 4);
        SimulatedNode neighbour = scenario.AddSeeder();
        SimulatedNode liar = scenario.AddSeeder();
        liar.Address = neighbour.Address;
        liar.CorruptPiece = piece => piece % 3 == 0;
        SimulatedNode leecher = scenario.AddLeecher();

        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.IsBanned(liar.Address, liar.PeerId), Deadline), "the cheat was not banned");
        Assert.False(leecher.Swarm.IsBanned(neighbour.Address, neighbour.PeerId), "the honest neighbour behind the same address was banned too");
        Assert.False(leecher.Swarm.IsAddressBanned(neighbour.Address));
        long fromNeighbourAtBan = leecher.Swarm.GetStatus().DownloadedByPeerId.GetValueOrDefault(neighbour.PeerIdText);

        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the leecher did not finish");
        scenario.AssertLeechersHaveContent();
        SwarmStatus status = leecher.Swarm.GetStatus();
        Assert.True(status.DownloadedByPeerId[neighbour.PeerIdText] > fromNeighbourAtBan, "the neighbour served nothing after the cheat was banned");
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_seeder_vanishing_mid_piece_does_not_stall_the_download()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(3 * 1024 * 1024, 256 * 1024, seed: 3);
        SimulatedNode first = scenario.AddSeeder();
        scenario.AddSeeder();
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.Downloaded > 512 * 1024, Deadline));
        first.Vanish();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the download stalled after a seeder vanished");
        scenario.AssertLeechersHaveContent();
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task A_seeder_that_stops_answering_is_snubbed_and_its_requests_go_elsewhere()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(3 * 1024 * 1024, 256 * 1024, seed: 4);
        SimulatedNode silent = scenario.AddSeeder();
        scenario.AddSeeder();
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        Assert.True(scenario.Network.RunUntil(() => leecher.Swarm.Downloaded > 512 * 1024, Deadline));
        silent.IsSilent = true;
        Assert.True(scenario.RunUntilLeechersComplete(Deadline), "the download stalled behind a silent seeder");
        scenario.AssertLeechersHaveContent();
        scenario.StopAndAssertBuffersReturned();
    }

    [Fact]
    public async Task Endgame_fetches_the_tail_from_the_fast_peer_instead_of_waiting_for_the_slow_one()
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(2 * 1024 * 1024, 64 * 1024, seed: 5);
        SimulatedNode fast = scenario.AddSeeder();
        fast.UploadBandwidth = 4 * 1024 * 1024;
        SimulatedNode slow = scenario.AddSeeder();
        slow.UploadBandwidth = 8 * 1024;
        SimulatedNode leecher = scenario.AddLeecher();
        scenario.ConnectAll();
        Assert.True(scenario.RunUntilLeechersComplete(Deadline));
        scenario.AssertLeechersHaveContent();

        // The slow seeder was asked for blocks it takes seconds each to send; endgame asked the fast one too.
        TimeSpan finished = leecher.CompletedAt!.Value;
        Assert.True(finished < TimeSpan.FromSeconds(5), $"the tail took until {finished}");
        scenario.StopAndAssertBuffersReturned();
    }
}
