using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>The router to ask for ports: its address, and ours on the interface towards it (what it forwards to).</summary>
public sealed record Gateway(IPAddress Address, IPAddress InternalAddress)
{
    /// <summary>Where NAT-PMP (RFC 6886 3) and PCP (RFC 6887 19.1) servers listen.</summary>
    public const int PcpPort = 5351;

    public IPEndPoint PcpEndPoint => new(Address, PcpPort);
}
