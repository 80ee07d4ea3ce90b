using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// A port a gateway forwards to us: <paramref name="ExternalPort"/> on its external address reaches
/// <paramref name="InternalPort"/> here until <paramref name="Expires"/> (<see cref="DateTimeOffset.MaxValue"/> for a
/// mapping the gateway keeps until deleted, as UPnP IGD may grant).
/// </summary>
public sealed record PortMappingLease(
    string Method,
    MappingProtocol Protocol,
    IPAddress InternalAddress,
    int InternalPort,
    int ExternalPort,
    DateTimeOffset Expires);
