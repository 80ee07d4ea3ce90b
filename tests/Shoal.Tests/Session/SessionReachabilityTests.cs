using System.Net;
using Shoal.Net;
using Shoal.Session;

namespace Shoal.Tests.Session;

/// <summary>The session knows itself as the internet sees it, so the DHT's answers do not send it dialling its own router.</summary>
public sealed class SessionReachabilityTests
{
    [Fact]
    public async Task Our_external_address_at_the_port_we_announce_is_ourselves_and_nothing_else_is()
    {
        await using var reachability = new SessionReachability(new SessionOptions(), tcpPort: 6881, udpPort: 6881);
        Assert.False(reachability.IsOurselves(new IPEndPoint(IPAddress.Parse("198.51.100.6"), 6881)));

        reachability.Votes.Report(IPAddress.Parse("198.51.100.6"), ExternalAddressSource.Dht, "dht");

        Assert.True(reachability.IsOurselves(new IPEndPoint(IPAddress.Parse("198.51.100.6"), 6881)));
        Assert.True(reachability.IsOurselves(new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.6"), 6881)));
        Assert.False(reachability.IsOurselves(new IPEndPoint(IPAddress.Parse("198.51.100.6"), 6882)));
        Assert.False(reachability.IsOurselves(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 6881)));
    }
}
