using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;

namespace Shoal.Net.PortMapping;

/// <summary>
/// PCP's MAP (RFC 6887 11) over UDP to <paramref name="gateway"/> (port 5351 of the router; tests point it elsewhere),
/// saying <paramref name="internalAddress"/> is ours. A gateway that answers in NAT-PMP (version 0) fails here with a
/// <see cref="PortMappingException"/>, and the port mapper goes on to its NAT-PMP client (RFC 6887 9).
/// </summary>
public sealed class PcpClient(IPEndPoint gateway, IPAddress internalAddress, TimeProvider time, GatewayRetransmission? retransmission = null) : IPortMappingClient
{
    private readonly GatewayExchange _exchange = new(gateway, "PCP", time, retransmission ?? GatewayRetransmission.Default);

    // RFC 6887 11.2: a renewal or deletion repeats the nonce of the request that made the mapping.
    private readonly ConcurrentDictionary<(MappingProtocol, int), byte[]> _nonces = new();
    private volatile IPAddress? _external;

    public string Method => "PCP";

    /// <summary>PCP has no request for the external address alone: it is the one the last mapping was given.</summary>
    public Task<IPAddress> GetExternalAddressAsync(CancellationToken cancel) => _external is { } address
        ? Task.FromResult(address)
        : Task.FromException<IPAddress>(new PortMappingException("PCP: the gateway tells its external address with a mapping, and none is made yet"));

    public async Task<PortMappingLease> AddAsync(MappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, CancellationToken cancel)
    {
        byte[] nonce = _nonces.GetOrAdd((protocol, internalPort), _ => RandomNumberGenerator.GetBytes(PcpCodec.NonceLength));
        uint seconds = (uint)Math.Clamp(lifetime.TotalSeconds, 1, uint.MaxValue);
        PcpMapResponse response = await MapAsync(nonce, protocol, internalPort, externalPort, seconds, cancel).ConfigureAwait(false);
        if (response.LifetimeSeconds == 0 || response.ExternalPort == 0)
        {
            throw new PortMappingException($"PCP: the gateway granted {protocol} port {internalPort} no lifetime or no port");
        }

        if (!response.ExternalAddress.Equals(IPAddress.Any))
        {
            _external = response.ExternalAddress;
        }

        return new PortMappingLease(Method, protocol, internalAddress, internalPort, response.ExternalPort, time.GetUtcNow().AddSeconds(response.LifetimeSeconds));
    }

    /// <summary>RFC 6887 15: the MAP request again, same nonce, lifetime 0.</summary>
    public async Task DeleteAsync(PortMappingLease lease, CancellationToken cancel)
    {
        if (!_nonces.TryGetValue((lease.Protocol, lease.InternalPort), out byte[]? nonce))
        {
            return;
        }

        await MapAsync(nonce, lease.Protocol, lease.InternalPort, lease.ExternalPort, 0, cancel).ConfigureAwait(false);
        _nonces.TryRemove((lease.Protocol, lease.InternalPort), out _);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<PcpMapResponse> MapAsync(byte[] nonce, MappingProtocol protocol, int internalPort, int externalPort, uint seconds, CancellationToken cancel)
    {
        PcpMapResponse response = await _exchange.SendAsync(
            PcpCodec.MapRequest(nonce, protocol, internalPort, externalPort, seconds, internalAddress),
            packet => PcpCodec.ReadMapResponse(packet, nonce, protocol, internalPort),
            cancel).ConfigureAwait(false);
        if (response.Version == NatPmpCodec.Version)
        {
            throw new PortMappingException("PCP: the gateway speaks NAT-PMP, not PCP");
        }

        if (response.Result != PcpResult.Success)
        {
            throw new PortMappingException($"PCP: {PcpCodec.Meaning(response.Result)}");
        }

        return response;
    }
}
