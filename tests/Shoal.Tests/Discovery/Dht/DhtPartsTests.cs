using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Dht;

public sealed class DhtPartsTests
{
    private static readonly IPAddress Alice = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Bob = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void Tokens_are_bound_to_the_address_and_live_through_one_rotation()
    {
        var time = new ManualTimeProvider();
        var secrets = new TokenSecrets(time);
        byte[] token = secrets.Create(Alice);
        Assert.True(secrets.IsValid(token, Alice));
        Assert.False(secrets.IsValid(token, Bob));
        time.Advance(TokenSecrets.RotateEvery);
        Assert.True(secrets.IsValid(token, Alice));
        time.Advance(TokenSecrets.RotateEvery);
        Assert.False(secrets.IsValid(token, Alice));
    }

    [Fact]
    public void Peer_store_is_bounded_and_expires_after_thirty_minutes()
    {
        var time = new ManualTimeProvider();
        var store = new PeerStore(maxInfoHashes: 2, maxPeersPerInfoHash: 3, maxPeers: 5);
        NodeId[] hashes = [.. Enumerable.Range(0, 3).Select(i => NodeId.CreateRandom(new Random(i)))];
        foreach (NodeId hash in hashes)
        {
            for (int port = 1; port <= 4; port++)
            {
                store.Add(hash, new IPEndPoint(Alice, port), time.GetUtcNow());
            }
        }

        Assert.Equal(5, store.Count);
        Assert.Equal(2, store.InfoHashCount);
        Assert.Equal(3, store.Get(hashes[0], 10, time.GetUtcNow()).Count);
        time.Advance(PeerStore.Lifetime);
        Assert.Empty(store.Get(hashes[0], 10, time.GetUtcNow()));
        store.RemoveExpired(time.GetUtcNow());
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.InfoHashCount);
    }

    [Fact]
    public void Rate_limiter_caps_each_address_per_second_and_the_addresses_tracked()
    {
        var time = new ManualTimeProvider();
        var limiter = new QueryRateLimiter(perSecond: 3, maxAddresses: 1);
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.Allow(Alice, time.GetUtcNow())));
        Assert.False(limiter.Allow(Bob, time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.Allow(Bob, time.GetUtcNow()));
    }

    [Theory]
    [InlineData("router.example:6881", "router.example", 6881)]
    [InlineData("[::1]:6881", "::1", 6881)]
    [InlineData("10.0.0.1:1", "10.0.0.1", 1)]
    public void Bootstrap_addresses_split_into_host_and_port(string text, string host, int port)
    {
        Assert.Equal((host, port), DhtEndPoints.Split(text));
    }

    [Theory]
    [InlineData("router.example")]
    [InlineData("router.example:0")]
    [InlineData(":6881")]
    [InlineData("host:70000")]
    public void Bad_bootstrap_addresses_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => DhtEndPoints.Split(text));
    }
}
