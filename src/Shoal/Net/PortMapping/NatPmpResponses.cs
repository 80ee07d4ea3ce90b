using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>An answer to the external address request; <paramref name="Epoch"/> is the gateway's seconds since its mappings were last lost.</summary>
public sealed record NatPmpAddressResponse(NatPmpResult Result, uint Epoch, IPAddress ExternalAddress);

/// <summary>An answer to a map request: the external port granted and for how many seconds.</summary>
public sealed record NatPmpMapResponse(NatPmpResult Result, uint Epoch, int InternalPort, int ExternalPort, uint LifetimeSeconds);
