using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>The PCP client over UDP against a fake gateway on 127.0.0.1.</summary>
public sealed class PcpClientTests
{
    [Fact]
    public async Task It_maps_learns_the_external_address_from_the_answer_and_deletes_with_the_same_nonce()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.Pcp);
        await using var client = new PcpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System);
        await Assert.ThrowsAsync<PortMappingException>(() => client.GetExternalAddressAsync(CancellationToken.None));

        PortMappingLease lease = await client.AddAsync(MappingProtocol.Udp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None);

        Assert.Equal(("PCP", 6881, 6881), (lease.Method, lease.InternalPort, lease.ExternalPort));
        Assert.Equal(FakeGateway.ExternalAddress, await client.GetExternalAddressAsync(CancellationToken.None));
        byte[] request = gateway.Requests[0];
        Assert.Equal((2, 1, 17), (request[0], request[1], request[36]));
        // RFC 6887 7.1: the client's own address, IPv4-mapped.
        Assert.Equal(IPAddress.Loopback.MapToIPv6(), new IPAddress(request.AsSpan(8, 16)));
        Assert.Equal([(17, 6881)], gateway.Mappings);

        await client.DeleteAsync(lease, CancellationToken.None);

        Assert.Empty(gateway.Mappings);
        byte[] deletion = gateway.Requests[^1];
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(deletion.AsSpan(4)));
        Assert.Equal(request.AsSpan(24, 12).ToArray(), deletion.AsSpan(24, 12).ToArray());
    }

    [Fact]
    public async Task A_nat_pmp_gateway_fails_pcp_saying_so()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.NatPmp);
        await using var client = new PcpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System);

        var e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Tcp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None));

        Assert.Equal("PCP: the gateway speaks NAT-PMP, not PCP", e.Message);
    }

    [Fact]
    public async Task A_refusal_says_why()
    {
        await using var gateway = new FakeGateway(GatewaySpeaks.Pcp) { Result = 8 };
        await using var client = new PcpClient(gateway.EndPoint, IPAddress.Loopback, TimeProvider.System);

        var e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Tcp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None));

        Assert.Equal("PCP: the gateway has no ports left to map", e.Message);
    }
}
