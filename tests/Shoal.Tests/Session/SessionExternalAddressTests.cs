using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Net;
using Shoal.Session;

namespace Shoal.Tests.Session;

/// <summary>The session's external address votes give the DHT its BEP 42 id (the DHT's own vote goes the other way: DhtNodeSecurityTests).</summary>
public sealed class SessionExternalAddressTests
{
    private static readonly IPAddress Mapped = IPAddress.Parse("198.51.100.7");

    [Fact]
    public async Task The_routers_public_address_gives_the_dht_a_conforming_id_and_a_private_one_does_not()
    {
        await using var dht = new DhtService(0);
        var votes = new ExternalAddressVotes();
        SessionDiscovery.ShareExternalAddress(dht, votes);
        NodeId before = dht.State.Id;

        votes.Report(IPAddress.Parse("192.168.1.1"), ExternalAddressSource.Gateway, "192.168.1.1");
        Assert.Equal(before, dht.State.Id);

        votes.Report(Mapped, ExternalAddressSource.Gateway, "192.168.1.1");
        Assert.Equal(Mapped, dht.State.ExternalAddress);
        Assert.True(dht.State.IdConforms);
        Assert.NotEqual(before, dht.State.Id);
    }
}
