using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Net.PortMapping;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary>
/// <c>GET /api/v1/reachability</c>: the peer ports (<c>udpPort</c> 0 when none) and the one asked for
/// (<c>requestedPort</c>, 0 for any: another was used when it was taken), our external address and who said it
/// (<c>gateway</c>, <c>tracker</c>, <c>peers</c>, <c>dht</c>; both null until someone has), each port's mapping on the
/// router, and the DHT (null when off).
/// </summary>
public sealed record ReachabilityView(
    int TcpPort,
    int UdpPort,
    int RequestedPort,
    string? ExternalAddress,
    string? ExternalAddressSource,
    IReadOnlyList<MappingView> Mappings,
    DhtReachabilityView? Dht)
{
    public static ReachabilityView From(ShoalSession session)
    {
        ReachabilityStatus status = session.Reachability;
        return new(
            status.TcpPort,
            status.UdpPort,
            session.RequestedPort,
            status.ExternalAddress?.ToString(),
            status.ExternalAddressSource?.ToString().ToLowerInvariant(),
            [.. status.Mappings.Select(MappingView.From)],
            session.DhtState is { } dht ? DhtReachabilityView.From(dht, session.Options.Dht?.Bootstrap ?? []) : null);
    }
}

/// <summary>
/// The DHT as peers see it: <c>nodes</c> and <c>goodNodes</c> in the routing table, each bootstrap node with what became of
/// it (<c>"router.bittorrent.com:6881: answered"</c>, <c>"…: no answer"</c>, <c>"…: does not resolve: WHY"</c>), and
/// whether the node id fits our external address (BEP 42; null while the address is unknown).
/// </summary>
public sealed record DhtReachabilityView(int Nodes, int GoodNodes, IReadOnlyList<string> Bootstrap, bool? IdConforms)
{
    public static DhtReachabilityView From(DhtState state, IReadOnlyList<EndPoint> bootstrap)
    {
        var lines = new List<string>();
        foreach (EndPoint given in bootstrap)
        {
            string name = given is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : given.ToString() ?? "";
            DhtBootstrapHost? host = state.BootstrapHosts.FirstOrDefault(h => h.Name == name);
            bool answered = host?.Answered ?? (given is IPEndPoint address && state.BootstrapAnswered.Contains(address));
            lines.Add(host?.Error is { } error ? $"{name}: does not resolve: {error}" : $"{name}: {(answered ? "answered" : "no answer")}");
        }

        return new DhtReachabilityView(state.RoutingTableSize, state.GoodNodes, lines, state.IdConforms);
    }
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
