using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;
using Shoal.Tracker.Storage.Postgres;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Storage;

public sealed class PostgresSwarmStoreTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromMinutes(30);

    [Fact]
    public async Task A_peer_announced_to_one_instance_is_returned_by_another()
    {
        await using PostgresTrackerStore first = await OpenAsync();
        await using PostgresTrackerStore second = await OpenAsync();
        InfoHashKey swarm = NewSwarm();

        await first.AnnounceAsync(Announce(swarm, V4(1)), default);
        AnnounceAnswer fromSecond = await second.AnnounceAsync(Announce(swarm, V4(2)), default);
        AnnounceAnswer fromFirst = await first.AnnounceAsync(Announce(swarm, V4(1)), default);

        Assert.Equal([V4(1)], Decode(fromSecond));
        Assert.Equal([V4(2)], Decode(fromFirst));
        Assert.Equal(new SwarmCounts(0, 2, 0), fromSecond.Counts);
    }

    [Fact]
    public async Task A_stopped_peer_leaves_the_swarm()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        await store.AnnounceAsync(Announce(swarm, V4(1), seeder: true), default);
        await store.AnnounceAsync(Announce(swarm, V4(2)), default);

        AnnounceAnswer stopped = await store.AnnounceAsync(Announce(swarm, V4(1), seeder: true, announceEvent: AnnounceEvent.Stopped), default);
        AnnounceAnswer remaining = await store.AnnounceAsync(Announce(swarm, V4(2)), default);

        Assert.Equal(new SwarmCounts(0, 1, 0), stopped.Counts);
        Assert.Empty(Decode(remaining));
        Assert.Equal([new SwarmCounts(0, 1, 0)], await store.ScrapeAsync([swarm], default));
    }

    [Fact]
    public async Task Completed_counts_once_per_peer_and_survives_reopening()
    {
        InfoHashKey swarm = NewSwarm();
        await using (PostgresTrackerStore store = await OpenAsync())
        {
            await store.AnnounceAsync(Announce(swarm, V4(1), announceEvent: AnnounceEvent.Started), default);
            AnnounceAnswer finished = await store.AnnounceAsync(Announce(swarm, V4(1), seeder: true, announceEvent: AnnounceEvent.Completed), default);
            AnnounceAnswer repeated = await store.AnnounceAsync(Announce(swarm, V4(1), seeder: true, announceEvent: AnnounceEvent.Completed), default);
            AnnounceAnswer newcomer = await store.AnnounceAsync(Announce(swarm, V6(2), seeder: true, announceEvent: AnnounceEvent.Completed), default);

            Assert.Equal(new SwarmCounts(1, 0, 1), finished.Counts);
            Assert.Equal(new SwarmCounts(1, 0, 1), repeated.Counts);
            Assert.Equal(new SwarmCounts(2, 0, 2), newcomer.Counts);
        }

        await using PostgresTrackerStore reopened = await OpenAsync();
        Assert.Equal([new SwarmCounts(2, 0, 2)], await reopened.ScrapeAsync([swarm], default));
    }

    [Fact]
    public async Task Concurrent_completed_announces_through_two_instances_count_each_peer_once()
    {
        await using PostgresTrackerStore first = await OpenAsync();
        await using PostgresTrackerStore second = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        PeerAddress[] peers = [.. Enumerable.Range(1, 20).Select(V4)];
        foreach (PeerAddress peer in peers)
        {
            await first.AnnounceAsync(Announce(swarm, peer, announceEvent: AnnounceEvent.Started), default);
        }

        await Task.WhenAll(peers.SelectMany(peer => new[] { first, second, first }.Select(store =>
            store.AnnounceAsync(Announce(swarm, peer, seeder: true, announceEvent: AnnounceEvent.Completed), default).AsTask())));

        Assert.Equal([new SwarmCounts(20, 0, 20)], await second.ScrapeAsync([swarm], default));
    }

    [Fact]
    public async Task Expired_peers_are_neither_counted_nor_returned_and_are_swept()
    {
        var clock = new ManualTimeProvider();
        await using PostgresTrackerStore first = await OpenAsync(clock);
        await using PostgresTrackerStore second = await OpenAsync(clock);
        InfoHashKey swarm = NewSwarm();
        await first.AnnounceAsync(Announce(swarm, V4(1)), default);
        await first.AnnounceAsync(Announce(swarm, V6(2), seeder: true), default);

        clock.Advance(PeerTimeout + TimeSpan.FromSeconds(1));
        AnnounceAnswer answer = await second.AnnounceAsync(Announce(swarm, V4(3)), default);
        int[] swept = await Task.WhenAll(first.ExpirePeersAsync(default), second.ExpirePeersAsync(default));

        Assert.Equal(new SwarmCounts(0, 1, 0), answer.Counts);
        Assert.Empty(Decode(answer));
        // The clock's advance also fired the background sweeps, which may have got there first.
        Assert.InRange(swept.Sum(), 0, 2);
        Assert.Equal(1L, await fixture.Database.ScalarAsync($"SELECT count(*) FROM peers WHERE info_hash = '\\x{swarm.ToHex()}'"));
    }

    [Fact]
    public async Task A_seeder_is_given_only_leechers()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        await store.AnnounceAsync(Announce(swarm, V4(1), seeder: true), default);
        await store.AnnounceAsync(Announce(swarm, V4(2)), default);
        await store.AnnounceAsync(Announce(swarm, V6(3)), default);

        AnnounceAnswer seeder = await store.AnnounceAsync(Announce(swarm, V4(4), seeder: true), default);
        AnnounceAnswer leecher = await store.AnnounceAsync(Announce(swarm, V4(5)), default);

        Assert.Equal(Sorted([V4(2), V6(3)]), Sorted(Decode(seeder)));
        Assert.Equal(Sorted([V4(1), V4(2), V6(3), V4(4)]), Sorted(Decode(leecher)));
        Assert.Equal(new SwarmCounts(2, 3, 0), leecher.Counts);
    }

    [Fact]
    public async Task No_more_peers_than_numwant_are_given()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        for (int i = 1; i <= 10; i++)
        {
            await store.AnnounceAsync(Announce(swarm, V4(i)), default);
        }

        AnnounceAnswer three = await store.AnnounceAsync(Announce(swarm, V4(1), numWant: 3), default);
        AnnounceAnswer none = await store.AnnounceAsync(Announce(swarm, V4(1), numWant: 0), default);

        Assert.Equal(3, three.PeerCount);
        Assert.Equal(0, none.PeerCount);
        Assert.Equal(new SwarmCounts(0, 10, 0), none.Counts);
    }

    [Fact]
    public async Task Peers_come_in_random_order_and_never_include_the_asker()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        for (int i = 1; i <= 20; i++)
        {
            await store.AnnounceAsync(Announce(swarm, V4(i)), default);
        }

        var orders = new HashSet<string>();
        for (int round = 0; round < 10; round++)
        {
            List<PeerAddress> peers = Decode(await store.AnnounceAsync(Announce(swarm, V4(7)), default));
            Assert.Equal(Sorted(Enumerable.Range(1, 20).Where(i => i != 7).Select(V4)), Sorted(peers));
            orders.Add(string.Join(',', peers));
        }

        Assert.True(orders.Count > 1, "ten answers came in the same order");
    }

    [Theory]
    [InlineData(PeerFamilies.IPv4)]
    [InlineData(PeerFamilies.IPv6)]
    [InlineData(PeerFamilies.Both)]
    public async Task Only_the_families_asked_for_are_given(PeerFamilies families)
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey swarm = NewSwarm();
        PeerAddress[] others = [V4(1), V4(2), V6(3), V6(4)];
        foreach (PeerAddress peer in others)
        {
            await store.AnnounceAsync(Announce(swarm, peer), default);
        }

        AnnounceAnswer answer = await store.AnnounceAsync(Announce(swarm, V6(5), families: families), default);

        Assert.Equal(families.HasFlag(PeerFamilies.IPv4) ? 12 : 0, answer.Peers4.Length);
        Assert.Equal(families.HasFlag(PeerFamilies.IPv6) ? 36 : 0, answer.Peers6.Length);
        Assert.Equal(Sorted(others.Where(peer => families.HasFlag(peer.IsIPv4 ? PeerFamilies.IPv4 : PeerFamilies.IPv6))), Sorted(Decode(answer)));
    }

    [Fact]
    public async Task Scrape_counts_each_swarm_in_the_order_asked()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        InfoHashKey busy = NewSwarm(), quiet = NewSwarm(), unknown = NewSwarm();
        await store.AnnounceAsync(Announce(busy, V4(1), seeder: true, announceEvent: AnnounceEvent.Completed), default);
        await store.AnnounceAsync(Announce(busy, V4(2)), default);
        await store.AnnounceAsync(Announce(busy, V6(3)), default);
        await store.AnnounceAsync(Announce(quiet, V4(1)), default);

        IReadOnlyList<SwarmCounts> counts = await store.ScrapeAsync([quiet, unknown, busy, quiet], default);

        Assert.Equal([new(0, 1, 0), new(0, 0, 0), new(1, 2, 1), new(0, 1, 0)], counts);
        Assert.Empty(await store.ScrapeAsync([], default));
    }

    [Fact]
    public async Task New_peers_are_refused_at_the_caps_per_swarm_per_address_and_in_all_and_known_ones_refresh()
    {
        // The table is shared with the other tests of the class, so the total cap is set from its count.
        await using PostgresTrackerStore counter = await OpenAsync();
        long before = await counter.CountPeersAsync(default);
        var caps = new PeerCaps((int)before + 6, PerSwarm: 3, PerAddress: 2);
        await using PostgresTrackerStore store = await OpenAsync(caps: caps);
        InfoHashKey busy = NewSwarm();
        PeerAddress[] crowd = [.. Enumerable.Range(0, 4).Select(i => new PeerAddress(IPAddress.Parse($"192.0.2.{i + 1}"), 6881))];
        IPAddress single = IPAddress.Parse("2001:db8:5:1::1");

        List<string?> swarmRefusals = await AnnounceAllAsync(store, crowd.Select(peer => Announce(busy, peer)));
        List<string?> addressRefusals = await AnnounceAllAsync(store, Enumerable.Range(0, 3).Select(i => Announce(NewSwarm(), new PeerAddress(IPAddress.Parse($"2001:db8:5:1::{i + 10:x}"), 6881))));
        string? refreshed = (await store.AnnounceAsync(Announce(busy, crowd[0]), default)).Refusal;

        Assert.Equal<string?>([null, null, null, caps.SwarmFull], swarmRefusals);
        Assert.Equal<string?>([null, null, caps.AddressFull], addressRefusals);
        Assert.Null(refreshed);
        Assert.Null((await store.AnnounceAsync(Announce(NewSwarm(), new PeerAddress(single, 6881)) with { Event = AnnounceEvent.Stopped }, default)).Refusal);

        // Five new peers are in the table: one more fits; once counted, the next is refused.
        Assert.Null((await store.AnnounceAsync(Announce(NewSwarm(), V4(200)), default)).Refusal);
        Assert.Equal(before + 6, await store.CountPeersAsync(default));
        Assert.Equal(caps.TrackerFull, (await store.AnnounceAsync(Announce(NewSwarm(), V4(201)), default)).Refusal);
        Assert.Null((await store.AnnounceAsync(Announce(busy, crowd[1]), default)).Refusal);
    }

    private static async Task<List<string?>> AnnounceAllAsync(PostgresTrackerStore store, IEnumerable<PeerAnnouncement> announcements)
    {
        var refusals = new List<string?>();
        foreach (PeerAnnouncement announcement in announcements)
        {
            refusals.Add((await store.AnnounceAsync(announcement, default)).Refusal);
        }

        return refusals;
    }

    private Task<PostgresTrackerStore> OpenAsync(TimeProvider? time = null, PeerCaps? caps = null) =>
        PostgresTrackerStore.OpenAsync(fixture.Database.ConnectionString, PeerTimeout, caps ?? PeerCapsForTests.Unlimited, time ?? TimeProvider.System, NullLogger.Instance, default);

    private static InfoHashKey NewSwarm() => InfoHashKey.Read(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    private static PeerAddress V4(int host) => new(new IPAddress([10, 0, 0, (byte)host]), 6881);

    private static PeerAddress V6(int host) => new(IPAddress.Parse($"fd00::{host}"), 6881);

    private static PeerAnnouncement Announce(
        InfoHashKey swarm,
        PeerAddress peer,
        bool seeder = false,
        AnnounceEvent announceEvent = AnnounceEvent.None,
        int numWant = 50,
        PeerFamilies families = PeerFamilies.Both) =>
        new(swarm, peer, seeder, announceEvent, numWant, families);

    private static List<string> Sorted(IEnumerable<PeerAddress> peers) => [.. peers.Select(peer => peer.ToString()).Order(StringComparer.Ordinal)];

    private static List<PeerAddress> Decode(AnnounceAnswer answer)
    {
        var peers = new List<PeerAddress>();
        for (int at = 0; at < answer.Peers4.Length; at += 6)
        {
            ReadOnlySpan<byte> entry = answer.Peers4.Span.Slice(at, 6);
            peers.Add(new PeerAddress(new IPAddress(entry[..4]), BinaryPrimitives.ReadUInt16BigEndian(entry[4..])));
        }

        for (int at = 0; at < answer.Peers6.Length; at += 18)
        {
            ReadOnlySpan<byte> entry = answer.Peers6.Span.Slice(at, 18);
            peers.Add(new PeerAddress(new IPAddress(entry[..16]), BinaryPrimitives.ReadUInt16BigEndian(entry[16..])));
        }

        return peers;
    }
}
