using System.Net;
using Shoal.Discovery.Lsd;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery.Lsd;

/// <summary>
/// Two services in one process find each other over real multicast with loopback. Each test uses its own
/// group port so that other LSD clients on the machine, and the other tests, do not interfere.
/// </summary>
public class LsdServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static InfoHash Hash(int seed) => new(Enumerable.Repeat((byte)seed, InfoHash.V1Length).ToArray());

    private static int FreshPort() => Random.Shared.Next(20_000, 60_000);

    public static TheoryData<string> Setups => ["ipv4-default-interface", "ipv4-loopback-interface", "ipv6-default-interface"];

    private static LsdOptions OptionsFor(string setup, int port) => setup switch
    {
        "ipv4-default-interface" => new LsdOptions { IPv4Group = new IPEndPoint(IPAddress.Parse("239.192.152.143"), port), IPv6Group = null },
        "ipv4-loopback-interface" => new LsdOptions { IPv4Group = new IPEndPoint(IPAddress.Parse("239.192.152.143"), port), IPv6Group = null, IPv4Interface = IPAddress.Loopback },
        _ => new LsdOptions { IPv4Group = null, IPv6Group = new IPEndPoint(IPAddress.Parse("ff15::efc0:988f"), port) },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Two_services_on_one_machine_find_each_other(string setup)
    {
        LsdOptions options = OptionsFor(setup, FreshPort());
        await using var alice = new LsdService(7001, TimeProvider.System, options: options);
        await using var bob = new LsdService(7002, TimeProvider.System, options: options);
        var aliceFound = new TaskCompletionSource<LsdPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bobFound = new TaskCompletionSource<LsdPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.PeerFound += peer => aliceFound.TrySetResult(peer);
        bob.PeerFound += peer => bobFound.TrySetResult(peer);
        Assert.True(alice.Start(), $"{setup}: cannot join the group");
        Assert.True(bob.Start(), $"{setup}: cannot join the group");

        alice.Announce(Hash(1), isPrivate: false);
        bob.Announce(Hash(1), isPrivate: false);

        LsdPeer bobSeen = await aliceFound.Task.WaitAsync(Patience);
        LsdPeer aliceSeen = await bobFound.Task.WaitAsync(Patience);
        Assert.Equal((Hash(1), 7002), (bobSeen.InfoHash, bobSeen.EndPoint.Port));
        Assert.Equal((Hash(1), 7001), (aliceSeen.InfoHash, aliceSeen.EndPoint.Port));
    }

    [Fact]
    public async Task A_private_torrent_is_not_announced_nor_looked_for()
    {
        LsdOptions options = OptionsFor("ipv4-default-interface", FreshPort());
        await using var alice = new LsdService(7001, TimeProvider.System, options: options);
        await using var bob = new LsdService(7002, TimeProvider.System, options: options);
        var found = new TaskCompletionSource<LsdPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.PeerFound += peer => found.TrySetResult(peer);
        bob.PeerFound += peer => found.TrySetResult(peer);
        Assert.True(alice.Start() && bob.Start());

        alice.Announce(Hash(1), isPrivate: true);
        bob.Announce(Hash(1), isPrivate: true);
        alice.Announce(Hash(2), isPrivate: false);
        bob.Announce(Hash(3), isPrivate: false);

        await Assert.ThrowsAsync<TimeoutException>(() => found.Task.WaitAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_group_that_cannot_be_joined_leaves_the_service_inactive_without_throwing()
    {
        var options = new LsdOptions
        {
            IPv4Group = new IPEndPoint(IPAddress.Parse("239.192.152.143"), FreshPort()),
            IPv6Group = null,
            IPv4Interface = IPAddress.Parse("203.0.113.77"),
        };
        await using var service = new LsdService(7001, TimeProvider.System, options: options);

        Assert.False(service.Start());
        Assert.True(service.Announce(Hash(1), isPrivate: false));
    }
}
