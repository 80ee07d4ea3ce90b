using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// One way of asking the home router for a port: UPnP IGD, NAT-PMP (RFC 6886) or PCP (RFC 6887).
/// Failures are <see cref="PortMappingException"/>; a gateway that does not answer is a
/// <see cref="PortMappingException"/> too, once the protocol's own retries are spent.
/// </summary>
public interface IPortMappingClient : IAsyncDisposable
{
    /// <summary>"UPnP IGD", "NAT-PMP" or "PCP": what status and <c>shoal doctor</c> show.</summary>
    string Method { get; }

    /// <summary>The gateway's external address, as the gateway itself reports it.</summary>
    Task<IPAddress> GetExternalAddressAsync(CancellationToken cancel);

    /// <summary>
    /// Asks for <paramref name="internalPort"/> to be reachable from outside, on <paramref name="externalPort"/> if the gateway
    /// allows; the lease says which port it granted and until when. Asking again for the same mapping renews it.
    /// </summary>
    Task<PortMappingLease> AddAsync(MappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, CancellationToken cancel);

    /// <summary>Removes a mapping this client made (a clean stop).</summary>
    Task DeleteAsync(PortMappingLease lease, CancellationToken cancel);
}
