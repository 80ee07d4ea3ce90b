using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Swarms;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>The in-memory peer table stays within its caps: in all, per swarm, and per address across swarms.</summary>
public sealed class PeerCapTests(ITestOutputHelper output)
{
    private static readonly TrackerOptions Defaults = new() { DataDirectory = "" };

    [Fact]
    public async Task One_address_announcing_at_its_rate_limit_for_a_peer_timeout_keeps_at_most_its_cap()
    {
        // Issue 13's attack: at the default rate limit (600 a minute) one address announces a new torrent
        // or port every time, and each entry lives a peer timeout (46 minutes): 27,600 entries.
        int attempts = Defaults.RequestsPerMinutePerAddress * (int)Defaults.PeerTimeout.TotalMinutes;
        Assert.Equal(27_600, attempts);
        IPAddress attacker = IPAddress.Parse("198.51.100.7");

        await using MemorySwarmStore unlimited = await OpenAsync(PeerCapsForTests.Unlimited);
        Assert.Equal(0, await FloodAsync(unlimited, attempts, i => new PeerAddress(attacker, 1 + (i % 60_000))));
        output.WriteLine($"without caps one address holds {unlimited.PeerCount:N0} peers");
        Assert.Equal(attempts, unlimited.PeerCount);

        await using MemorySwarmStore capped = await OpenAsync(PeerCaps.From(Defaults));
        int refused = await FloodAsync(capped, attempts, i => new PeerAddress(attacker, 1 + (i % 60_000)));
        output.WriteLine($"with the default caps it holds {capped.PeerCount:N0}, {refused:N0} refused");
        Assert.Equal((Defaults.MaxPeersPerAddress, attempts - Defaults.MaxPeersPerAddress), (capped.PeerCount, refused));

        // A whole IPv6 /64 counts as one address; the next /64 is another.
        int refused6 = await FloodAsync(capped, 3_000, i => new PeerAddress(IPAddress.Parse($"2001:db8:7:1:{i:x}::1"), 6881));
        Assert.Equal(3_000 - Defaults.MaxPeersPerAddress, refused6);
        Assert.Null((await capped.AnnounceAsync(Announce(Swarm(1), new PeerAddress(IPAddress.Parse("2001:db8:7:2::1"), 6881)), default)).Refusal);
    }

    [Fact]
    public async Task At_the_address_cap_a_new_peer_is_refused_with_the_reason_a_known_one_refreshes_and_a_stopped_one_makes_room()
    {
        var time = new ManualTimeProvider();
        await using MemorySwarmStore store = await OpenAsync(new PeerCaps(100, 100, 3), time);
        IPAddress address = IPAddress.Parse("198.51.100.8");
        for (int i = 0; i < 3; i++)
        {
            Assert.Null((await store.AnnounceAsync(Announce(Swarm(i), new PeerAddress(address, 7000)), default)).Refusal);
        }

        AnnounceAnswer refused = await store.AnnounceAsync(Announce(Swarm(3), new PeerAddress(address, 7000)), default);
        Assert.Contains("your address already has 3 peers", refused.Refusal, StringComparison.Ordinal);
        Assert.Equal(new SwarmCounts(0, 0, 0), (await store.ScrapeAsync([Swarm(3)], default))[0]);

        // Nine minutes on, the first two announce again (kept alive); the third goes quiet and expires.
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(0), new PeerAddress(address, 7000)), default)).Refusal);
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(1), new PeerAddress(address, 7000)), default)).Refusal);
        await store.AnnounceAsync(Announce(Swarm(0), new PeerAddress(address, 7000), AnnounceEvent.Stopped), default);
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(3), new PeerAddress(address, 7000)), default)).Refusal);

        Assert.NotNull((await store.AnnounceAsync(Announce(Swarm(4), new PeerAddress(address, 7000)), default)).Refusal);
        time.Advance(TimeSpan.FromMinutes(2));
        // The background sweep may have run on the advance already.
        store.ExpirePeers();
        Assert.Equal(2, store.PeerCount);
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(4), new PeerAddress(address, 7000)), default)).Refusal);
        Assert.Equal(3, store.PeerCount);
    }

    [Fact]
    public async Task Many_addresses_fill_the_table_only_to_its_cap_and_peers_already_there_are_still_served()
    {
        // An attacker with a /48 has 65,536 /64s: the per-address cap alone does not bound the table.
        var time = new ManualTimeProvider();
        await using MemorySwarmStore store = await OpenAsync(new PeerCaps(Total: 5_000, PerSwarm: 100_000, PerAddress: 2_000), time);
        PeerAddress honest = new(IPAddress.Parse("203.0.113.5"), 6881);
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(0), honest), default)).Refusal);

        int refused = await FloodAsync(store, 20_000, i => new PeerAddress(IPAddress.Parse($"2001:db8:9:{i / 1_000:x}::{i % 1_000 + 1:x}"), 6881));

        Assert.Equal((5_000, 20_000 - 4_999), (store.PeerCount, refused));
        AnnounceAnswer again = await store.AnnounceAsync(Announce(Swarm(0), honest), default);
        Assert.Null(again.Refusal);
        AnnounceAnswer newcomer = await store.AnnounceAsync(Announce(Swarm(0), new PeerAddress(IPAddress.Parse("203.0.113.6"), 6881)), default);
        Assert.Contains("holds the most peers it keeps (5,000)", newcomer.Refusal, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(11));
        store.ExpirePeers();
        Assert.Equal(0, store.PeerCount);
        Assert.Null((await store.AnnounceAsync(Announce(Swarm(0), honest), default)).Refusal);
    }

    [Fact]
    public async Task A_swarm_keeps_at_most_its_cap_of_peers()
    {
        await using MemorySwarmStore store = await OpenAsync(new PeerCaps(1_000, 50, 1_000));
        int refused = await FloodAsync(store, 80, i => new PeerAddress(IPAddress.Parse($"203.0.113.{i + 1}"), 6881), swarms: 1);

        Assert.Equal(30, refused);
        Assert.Equal(new SwarmCounts(0, 50, 0), (await store.ScrapeAsync([Swarm(0)], default))[0]);
        AnnounceAnswer other = await store.AnnounceAsync(Announce(Swarm(1), new PeerAddress(IPAddress.Parse("203.0.113.200"), 6881)), default);
        Assert.Null(other.Refusal);
    }

    [Fact]
    public async Task Concurrent_announces_and_stops_from_one_address_never_pass_its_cap_and_count_exactly()
    {
        await using MemorySwarmStore store = await OpenAsync(new PeerCaps(100_000, 100_000, 50));
        IPAddress address = IPAddress.Parse("198.51.100.9");
        // Counted up after an admission and down before its stop, so never above what the store holds.
        int held = 0, current = 0, maxSeen = 0;
        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var peer = new PeerAddress(address, 1 + i);
            AnnounceAnswer answer = await store.AnnounceAsync(Announce(Swarm(i % 7), peer), ct);
            if (answer.Refusal is null)
            {
                Interlocked.Increment(ref held);
                InterlockedMax(ref maxSeen, Interlocked.Increment(ref current));
                await Task.Yield();
                Interlocked.Decrement(ref current);
                await store.AnnounceAsync(Announce(Swarm(i % 7), peer, AnnounceEvent.Stopped), ct);
            }
        });

        Assert.InRange(maxSeen, 1, 50);
        Assert.Equal(0, store.PeerCount);
        Assert.True(held > 50, $"only {held} announces were admitted");
        Assert.Equal(0, await FloodAsync(store, 50, i => new PeerAddress(address, 1 + i)));
    }

    [Fact]
    public async Task Over_http_and_udp_a_peer_beyond_the_address_cap_gets_the_failure_reason()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { MaxPeersPerAddress = 2 });
        HttpTrackerClient http = tracker.HttpClient();
        UdpTrackerClient udp = tracker.UdpClient();
        Metainfo.InfoHash first = RunningTracker.RandomHash(), second = RunningTracker.RandomHash();
        Assert.Null((await http.AnnounceAsync(RunningTracker.Request(first, 7001), default)).FailureReason);
        Assert.Null((await udp.AnnounceAsync(RunningTracker.Request(second, 7001), default)).FailureReason);

        AnnounceResponse overHttp = await http.AnnounceAsync(RunningTracker.Request(RunningTracker.RandomHash(), 7001), default);
        AnnounceResponse overUdp = await udp.AnnounceAsync(RunningTracker.Request(first, 7002), default);

        Assert.Equal(PeerCaps.From(Defaults with { MaxPeersPerAddress = 2 }).AddressFull, overHttp.FailureReason);
        Assert.Equal(overHttp.FailureReason, overUdp.FailureReason);
        Assert.Null((await udp.AnnounceAsync(RunningTracker.Request(first, 7001, announceEvent: AnnounceEvent.None), default)).FailureReason);
    }

    private static async Task<MemorySwarmStore> OpenAsync(PeerCaps caps, TimeProvider? time = null) =>
        await MemorySwarmStore.OpenAsync(new RecordingStore(), new RecordingStore(), TimeSpan.FromMinutes(10), caps, time ?? TimeProvider.System, NullLogger.Instance, default);

    /// <summary>Announces <paramref name="count"/> new peers, spread over <paramref name="swarms"/> swarms (each its own by default); returns how many were refused.</summary>
    private static async Task<int> FloodAsync(MemorySwarmStore store, int count, Func<int, PeerAddress> peer, int swarms = int.MaxValue)
    {
        int refused = 0;
        for (int i = 0; i < count; i++)
        {
            AnnounceAnswer answer = await store.AnnounceAsync(Announce(Swarm(i % swarms), peer(i)), default);
            refused += answer.Refusal is null ? 0 : 1;
        }

        return refused;
    }

    private static InfoHashKey Swarm(int n)
    {
        byte[] bytes = new byte[InfoHashKey.Length];
        BitConverter.TryWriteBytes(bytes, n);
        bytes[19] = 0x5c;
        return InfoHashKey.Read(bytes);
    }

    private static PeerAnnouncement Announce(InfoHashKey swarm, PeerAddress peer, AnnounceEvent announceEvent = AnnounceEvent.None) =>
        new(swarm, peer, false, announceEvent, 50, PeerFamilies.Both);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var actual && actual != seen)
        {
            seen = actual;
        }
    }
}
