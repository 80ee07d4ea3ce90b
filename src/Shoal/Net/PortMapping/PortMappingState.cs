namespace Shoal.Net.PortMapping;

/// <summary>Where one of the session's ports stands with the router.</summary>
public enum PortMappingState
{
    /// <summary>Port mapping is turned off (setting <c>Net:PortMapping</c>).</summary>
    Off,

    /// <summary>The machine has no default IPv4 gateway to ask (or listens on loopback only).</summary>
    NoGateway,

    /// <summary>Asking the gateway; no answer yet.</summary>
    Mapping,

    Mapped,

    /// <summary>No protocol mapped it; tried again later.</summary>
    Failed,
}
