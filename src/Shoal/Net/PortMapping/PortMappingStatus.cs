namespace Shoal.Net.PortMapping;

/// <summary>
/// One port's mapping as the user sees it: which of our ports, how it is mapped (<paramref name="Method"/>: "UPnP IGD",
/// "PCP" or "NAT-PMP"), the router's port that reaches it and until when, and the last error (kept while a mapping
/// that failed to renew still holds).
/// </summary>
public sealed record PortMappingStatus(
    MappingProtocol Protocol,
    int InternalPort,
    PortMappingState State,
    string? Method,
    int? ExternalPort,
    DateTimeOffset? Expires,
    string? Error);
