using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// An answer to a MAP request: the external port and address assigned and for how many seconds. <paramref name="Version"/> is
/// the version the gateway answered in: 0 from a NAT-PMP gateway, which then maps through NAT-PMP instead.
/// </summary>
public sealed record PcpMapResponse(byte Version, PcpResult Result, uint LifetimeSeconds, uint Epoch, int ExternalPort, IPAddress ExternalAddress)
{
    public static PcpMapResponse Unsupported(byte version) => new(version, PcpResult.UnsupportedVersion, 0, 0, 0, IPAddress.Any);
}
