namespace Shoal.Net.PortMapping;

/// <summary>
/// A device's answer to an M-SEARCH (UPnP Device Architecture 1.1, 1.3.3): where its description is
/// (<paramref name="Location"/>), the search target it answers for, its unique service name and its server string.
/// </summary>
public sealed record SsdpResponse(Uri Location, string SearchTarget, string UniqueServiceName, string Server);
