namespace Shoal.Net.PortMapping;

/// <summary>Makes one protocol's client for a gateway.</summary>
public delegate IPortMappingClient PortMappingClientFactory(Gateway gateway, TimeProvider time);
