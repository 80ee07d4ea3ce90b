using System.Net;
using Shoal.Net.PortMapping;
using Shoal.Tests.Discovery;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>The NAT-PMP client over UDP against a fake gateway on 127.0.0.1.</summary>
public sealed class NatPmpClientTests
{
    private static readonly GatewayRetransmission Fast = new(TimeSpan.FromMilliseconds(20), 3);

    [Fact]
    public async Task It_maps_a_port_learns_the_external_address_and_deletes_the_mapping()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.NatPmp) { PortOffset = 1, Lifetime = 3600 };
        await using var client = new NatPmpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        PortMappingLease lease = await client.AddAsync(MappingProtocol.Tcp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None);
        IPAddress external = await client.GetExternalAddressAsync(CancellationToken.None);

        Assert.Equal(("NAT-PMP", MappingProtocol.Tcp, 6881, 6882), (lease.Method, lease.Protocol, lease.InternalPort, lease.ExternalPort));
        Assert.InRange(lease.Expires, before.AddSeconds(3600), DateTimeOffset.UtcNow.AddSeconds(3600));
        Assert.Equal(FakeGateway.ExternalAddress, external);
        Assert.Equal("000200001AE11AE100001C20", Convert.ToHexString(gateway.Requests[0]));
        Assert.Equal([(2, 6881)], gateway.Mappings);

        await client.DeleteAsync(lease, CancellationToken.None);

        Assert.Empty(gateway.Mappings);
        Assert.Equal("000200001AE1000000000000", Convert.ToHexString(gateway.Requests[^1]));
    }

    [Fact]
    public async Task A_refusal_says_why()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.NatPmp) { Result = 2 };
        await using var client = new NatPmpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System);

        var e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Udp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None));

        Assert.Equal("NAT-PMP: the gateway refuses to map ports (port mapping may be turned off in its settings)", e.Message);
    }

    [Fact]
    public async Task A_silent_gateway_is_asked_again_doubling_then_fails()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.Nothing);
        await using var client = new NatPmpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System, Fast);

        var e = await Assert.ThrowsAsync<PortMappingException>(() => client.GetExternalAddressAsync(CancellationToken.None));

        Assert.Contains("did not answer in 0.14 s", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, gateway.Requests.Count);
    }

    [Fact]
    public async Task A_gateway_with_nothing_on_the_port_fails_at_once()
    {
        var closed = new IPEndPoint(IPAddress.Loopback, TrackerClientFixtures.ClosedUdpPort());
        await using var client = new NatPmpClient(closed, IPAddress.Loopback, TimeProvider.System, new GatewayRetransmission(TimeSpan.FromSeconds(30), 4));

        var e = await Assert.ThrowsAsync<PortMappingException>(() => client.GetExternalAddressAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("nothing listens", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_schedule_gives_up_within_four_seconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(3750), GatewayRetransmission.Default.Total);
    }
}
