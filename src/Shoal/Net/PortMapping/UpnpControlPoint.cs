namespace Shoal.Net.PortMapping;

/// <summary>The WAN connection service found in a gateway's description: its type (which names the SOAP actions) and control URL.</summary>
public sealed record UpnpControlPoint(string ServiceType, Uri ControlUrl)
{
    /// <summary>WANIPConnection:2 (IGD:2), whose lease of 0 means the longest it allows, a week, not "permanent".</summary>
    public bool IsVersion2 => ServiceType.EndsWith(":2", StringComparison.Ordinal);
}
