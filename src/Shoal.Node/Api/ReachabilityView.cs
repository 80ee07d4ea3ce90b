using Shoal.Net.PortMapping;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary>
/// <c>GET /api/v1/reachability</c>: the peer ports (<c>udpPort</c> 0 when none), our external address and who said it
/// (<c>gateway</c>, <c>tracker</c>, <c>peers</c>, <c>dht</c>; both null until someone has), and each port's mapping on the router.
/// </summary>
public sealed record ReachabilityView(int TcpPort, int UdpPort, string? ExternalAddress, string? ExternalAddressSource, IReadOnlyList<MappingView> Mappings)
{
    public static ReachabilityView From(ReachabilityStatus status) => new(
        status.TcpPort,
        status.UdpPort,
        status.ExternalAddress?.ToString(),
        status.ExternalAddressSource?.ToString().ToLowerInvariant(),
        [.. status.Mappings.Select(MappingView.From)]);
}

/// <summary>
/// One port's mapping: <c>protocol</c> (<c>tcp</c>, <c>udp</c>), <c>internalPort</c>, <c>state</c> (<c>off</c>,
/// <c>noGateway</c>, <c>mapping</c>, <c>mapped</c>, <c>failed</c>), <c>method</c> (<c>UPnP IGD</c>, <c>PCP</c>,
/// <c>NAT-PMP</c>), <c>externalPort</c>, <c>expires</c> and the last <c>error</c>; null where unknown.
/// </summary>
public sealed record MappingView(string Protocol, int InternalPort, string State, string? Method, int? ExternalPort, DateTimeOffset? Expires, string? Error)
{
    public static MappingView From(PortMappingStatus status) => new(
        status.Protocol.ToString().ToLowerInvariant(),
        status.InternalPort,
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.State.ToString()),
        status.Method,
        status.ExternalPort,
        status.Expires,
        status.Error);
}
