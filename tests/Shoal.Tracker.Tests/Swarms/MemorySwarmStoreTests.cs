using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

public sealed class MemorySwarmStoreTests
{
    private static readonly InfoHashKey Swarm = InfoHashKey.Read(Enumerable.Repeat((byte)7, 20).ToArray());

    private static PeerAnnouncement Announce(int peer, bool seeder = false, AnnounceEvent announceEvent = AnnounceEvent.None) =>
        new(Swarm, new PeerAddress(IPAddress.Loopback, 10_000 + peer), seeder, announceEvent, 50, PeerFamilies.Both);

    private static List<SavedSwarm> Save(SwarmTable table) => [.. table.Copies(table.TakeChanges().Changed)];

    [Fact]
    public async Task Peers_expire_after_the_timeout_and_completed_counts_are_written_through()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None);
        await using (store)
        {
            await store.AnnounceAsync(Announce(1), CancellationToken.None);
            await store.AnnounceAsync(Announce(2, seeder: true, AnnounceEvent.Completed), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(6));
            AnnounceAnswer answer = await store.AnnounceAsync(Announce(1), CancellationToken.None);
            Assert.Equal(new SwarmCounts(1, 1, 1), answer.Counts);

            time.Advance(TimeSpan.FromMinutes(5));
            store.ExpirePeers();
            Assert.Equal(new SwarmCounts(0, 1, 1), (await store.ScrapeAsync([Swarm], CancellationToken.None))[0]);
        }

        Assert.Equal(1, durable.Stored[Swarm]);
    }

    [Fact]
    public async Task Stored_counts_are_loaded_and_concurrent_announces_keep_counts_exact()
    {
        var durable = new RecordingStore();
        durable.Stored[Swarm] = 41;
        await using MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await Parallel.ForAsync(0, 2000, async (i, ct) =>
        {
            await store.AnnounceAsync(Announce(i % 500, seeder: i % 500 < 100), ct);
            if (i % 500 >= 400)
            {
                await store.AnnounceAsync(Announce(i % 500, announceEvent: AnnounceEvent.Stopped), ct);
            }
        });

        Assert.Equal(new SwarmCounts(100, 300, 41), (await store.ScrapeAsync([Swarm], CancellationToken.None))[0]);
    }

    [Fact]
    public async Task Saved_peers_come_back_with_their_expiry_and_the_expired_ones_do_not()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        await using (MemorySwarmStore first = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None))
        {
            await first.AnnounceAsync(Announce(1, seeder: true), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(5));
            await first.AnnounceAsync(Announce(2), CancellationToken.None);
            await first.AnnounceAsync(Announce(3), CancellationToken.None);
        }

        // Down for 6 minutes: peer 1's expiry (10 minutes after its announce) has passed, 2's and 3's not.
        time.Advance(TimeSpan.FromMinutes(6));
        await using MemorySwarmStore restarted = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(2, restarted.RestoredPeers);
        Assert.Equal(new SwarmCounts(0, 2, 0), (await restarted.ScrapeAsync([Swarm], CancellationToken.None))[0]);
        time.Advance(TimeSpan.FromMinutes(4));
        restarted.ExpirePeers();
        Assert.Equal(default, (await restarted.ScrapeAsync([Swarm], CancellationToken.None))[0]);
    }

    // Seen while writing TrackerServerFuzzTests, whose invariant it breaks: a damaged save brought back a peer that never expired and one without a port.
    [Fact]
    public async Task A_damaged_save_restores_no_peer_without_a_port_and_none_past_the_timeout()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        byte[] peers = new byte[3 * SavedSwarm.EntryLength];
        SavedSwarm.WriteEntry(peers, new PeerAddress(IPAddress.Loopback, 1), false, long.MaxValue);
        SavedSwarm.WriteEntry(peers.AsSpan(SavedSwarm.EntryLength), new PeerAddress(IPAddress.Loopback, 0), false, time.GetUtcNow().ToUnixTimeSeconds() + 60);
        SavedSwarm.WriteEntry(peers.AsSpan(2 * SavedSwarm.EntryLength), new PeerAddress(IPAddress.Loopback, 3), true, time.GetUtcNow().ToUnixTimeSeconds() + 60);
        await durable.SavePeersAsync([new SavedSwarm(Swarm, peers)], [], CancellationToken.None);

        await using MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(2, store.RestoredPeers);
        time.Advance(TimeSpan.FromMinutes(10));
        store.ExpirePeers();
        Assert.Equal(0, store.PeerCount);
    }

    [Fact]
    public async Task Saved_peers_are_restored_within_the_caps_the_freshest_first()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        InfoHashKey other = InfoHashKey.Read(Enumerable.Repeat((byte)8, 20).ToArray());
        await using (MemorySwarmStore first = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None))
        {
            // Peers 1 to 6 of one address, a minute apart, alternating between two swarms; one of another address.
            for (int peer = 1; peer <= 6; peer++)
            {
                await first.AnnounceAsync(Announce(peer) with { InfoHash = peer % 2 == 0 ? Swarm : other }, CancellationToken.None);
                time.Advance(TimeSpan.FromMinutes(1));
            }

            await first.AnnounceAsync(Announce(7) with { Peer = new PeerAddress(IPAddress.Parse("203.0.113.1"), 7000) }, CancellationToken.None);
        }

        await using MemorySwarmStore restarted = await MemorySwarmStore.OpenAsync(
            durable, durable, TimeSpan.FromMinutes(10), new PeerCaps(Total: 100, PerSwarm: 100, PerAddress: 4), time, NullLogger.Instance, CancellationToken.None);

        // Peers 1 and 2 announced first, so would expire first: they are the ones left out.
        Assert.Equal(5, restarted.RestoredPeers);
        Assert.Equal([new SwarmCounts(0, 3, 0), new SwarmCounts(0, 2, 0)], await restarted.ScrapeAsync([Swarm, other], CancellationToken.None));
        AnnounceAnswer refused = await restarted.AnnounceAsync(Announce(2), CancellationToken.None);
        Assert.NotNull(refused.Refusal);
        Assert.Null((await restarted.AnnounceAsync(Announce(6), CancellationToken.None)).Refusal);
    }

    [Fact]
    public async Task Peers_are_saved_while_running_not_only_at_shutdown()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        await using MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None);
        await store.AnnounceAsync(Announce(1), CancellationToken.None);

        time.Advance(MemorySwarmStore.SavePeriod);

        await durable.PeersSaved.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, Assert.Single(durable.Peers).Count);
    }

    // The store's index is in key order: a save of many swarms walks it page by page instead of at random.
    [Fact]
    public async Task A_save_hands_the_swarms_over_in_key_order()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingStore();
        await using MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, durable, TimeSpan.FromMinutes(10), PeerCapsForTests.Unlimited, time, NullLogger.Instance, CancellationToken.None);
        var random = new Random(17);
        for (int swarm = 0; swarm < 500; swarm++)
        {
            byte[] hash = new byte[InfoHashKey.Length];
            random.NextBytes(hash);
            await store.AnnounceAsync(Announce(swarm) with { InfoHash = InfoHashKey.Read(hash) }, CancellationToken.None);
        }

        time.Advance(MemorySwarmStore.SavePeriod);

        await durable.PeersSaved.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(500, durable.WriteOrder.Count);
        Assert.Equal(durable.WriteOrder.OrderBy(key => key.Value), durable.WriteOrder);
    }

    // A save writes a swarm whose peers joined, left or changed at once; one whose peers only announced again once refreshes are marked.
    [Fact]
    public void A_re_announce_waits_for_the_refresh_and_a_change_does_not()
    {
        var table = new SwarmTable(PeerCapsForTests.Unlimited, new CompletedCounts(new Dictionary<InfoHashKey, long>()));
        table.Announce(Announce(1), expiresAt: 100);
        Assert.Single(Save(table));

        table.Announce(Announce(1), expiresAt: 200);
        Assert.Empty(Save(table));

        table.MarkRefreshed();
        SavedSwarm refreshed = Assert.Single(Save(table));
        Assert.Equal(200, refreshed.ReadEntry(0).ExpiresAt);
        table.MarkRefreshed();
        Assert.Empty(Save(table));

        table.Announce(Announce(1, seeder: true), expiresAt: 300);
        Assert.True(Assert.Single(Save(table)).ReadEntry(0).IsSeeder);
        table.Announce(Announce(2), expiresAt: 300);
        Assert.Equal(2, Assert.Single(Save(table)).Count);
        table.Announce(Announce(2, announceEvent: AnnounceEvent.Stopped), expiresAt: 300);
        Assert.Equal(1, Assert.Single(Save(table)).Count);
    }
}
