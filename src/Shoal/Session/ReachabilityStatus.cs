using System.Net;
using Shoal.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Session;

/// <summary>
/// How peers can reach this session: the TCP listening port and the UDP port of uTP and the DHT (0 when not open), each
/// port's mapping on the router, and our external address with who told us (null until someone has).
/// </summary>
public sealed record ReachabilityStatus(
    int TcpPort,
    int UdpPort,
    IReadOnlyList<PortMappingStatus> Mappings,
    IPAddress? ExternalAddress,
    ExternalAddressSource? ExternalAddressSource)
{
    /// <summary>The port peers should dial: the router's mapped TCP port, else its mapped UDP port (uTP), else ours.</summary>
    public int AnnouncePort =>
        Mapped(MappingProtocol.Tcp) ?? Mapped(MappingProtocol.Udp) ?? (TcpPort != 0 ? TcpPort : UdpPort);

    /// <summary>The port peers' DHT nodes should ping ours on (BEP 5's PORT message): the router's mapped UDP port, else ours.</summary>
    public int DhtPort => Mapped(MappingProtocol.Udp) ?? UdpPort;

    private int? Mapped(MappingProtocol protocol) =>
        Mappings.FirstOrDefault(m => m.Protocol == protocol && m.State == PortMappingState.Mapped)?.ExternalPort;
}
