using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// A gateway found by SSDP: its address, our address towards it (what its mappings forward to), the connection
/// service that maps ports, and the description our mappings carry.
/// </summary>
public sealed record UpnpGateway(IPAddress Device, IPAddress LocalAddress, UpnpControlPoint ControlPoint, string Description);
