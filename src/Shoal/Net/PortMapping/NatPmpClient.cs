using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>NAT-PMP (RFC 6886) over UDP to <paramref name="gateway"/> (port 5351 of the router; tests point it elsewhere).</summary>
public sealed class NatPmpClient(IPEndPoint gateway, IPAddress internalAddress, TimeProvider time, GatewayRetransmission? retransmission = null) : IPortMappingClient
{
    private readonly GatewayExchange _exchange = new(gateway, "NAT-PMP", time, retransmission ?? GatewayRetransmission.Default);

    public string Method => "NAT-PMP";

    public async Task<IPAddress> GetExternalAddressAsync(CancellationToken cancel)
    {
        NatPmpAddressResponse response = await _exchange.SendAsync(NatPmpCodec.ExternalAddressRequest(), NatPmpCodec.ReadExternalAddressResponse, cancel).ConfigureAwait(false);
        Check(response.Result);

        // RFC 6886 3.2: 0.0.0.0 until the gateway has an external address itself.
        return response.ExternalAddress.Equals(IPAddress.Any)
            ? throw new PortMappingException("NAT-PMP: the gateway has no external address yet")
            : response.ExternalAddress;
    }

    public async Task<PortMappingLease> AddAsync(MappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, CancellationToken cancel)
    {
        uint seconds = (uint)Math.Clamp(lifetime.TotalSeconds, 1, uint.MaxValue);
        NatPmpMapResponse response = await _exchange.SendAsync(
            NatPmpCodec.MapRequest(protocol, internalPort, externalPort, seconds),
            packet => NatPmpCodec.ReadMapResponse(packet, protocol, internalPort),
            cancel).ConfigureAwait(false);
        Check(response.Result);
        if (response.LifetimeSeconds == 0 || response.ExternalPort == 0)
        {
            throw new PortMappingException($"NAT-PMP: the gateway granted {protocol} port {internalPort} no lifetime or no port");
        }

        return new PortMappingLease(Method, protocol, internalAddress, internalPort, response.ExternalPort, time.GetUtcNow().AddSeconds(response.LifetimeSeconds));
    }

    /// <summary>RFC 6886 3.4: the map request with lifetime 0 and suggested external port 0.</summary>
    public async Task DeleteAsync(PortMappingLease lease, CancellationToken cancel)
    {
        NatPmpMapResponse response = await _exchange.SendAsync(
            NatPmpCodec.MapRequest(lease.Protocol, lease.InternalPort, 0, 0),
            packet => NatPmpCodec.ReadMapResponse(packet, lease.Protocol, lease.InternalPort),
            cancel).ConfigureAwait(false);
        Check(response.Result);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Check(NatPmpResult result)
    {
        if (result != NatPmpResult.Success)
        {
            throw new PortMappingException($"NAT-PMP: {NatPmpCodec.Meaning(result)}");
        }
    }
}
