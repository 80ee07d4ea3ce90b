using System.Net;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// A home of <see cref="HomeLab"/>: a router namespace doing address translation between its WAN link to the core
/// and its LAN link to the home's computer (<see cref="Host"/>), whose default route is the router. The router's
/// rules are <see cref="HomeRouterRules"/>; with <see cref="PortMapper"/> it also runs miniupnpd.
/// </summary>
public sealed class Home
{
    internal Home(string label, NetworkNamespace router, NetworkNamespace host, VethLink wan, VethLink lan, MiniUpnpd? portMapper)
    {
        Label = label;
        Router = router;
        Host = host;
        Wan = wan;
        Lan = lan;
        PortMapper = portMapper;
    }

    /// <summary>"a", "b": what its namespaces' names end with.</summary>
    public string Label { get; }

    public NetworkNamespace Router { get; }

    /// <summary>The home's computer, where its Shoal runs.</summary>
    public NetworkNamespace Host { get; }

    /// <summary>Core to router (the router's end second).</summary>
    public VethLink Wan { get; }

    /// <summary>Router to host (the host's end second).</summary>
    public VethLink Lan { get; }

    /// <summary>miniupnpd on the router, or null for a router that maps nothing.</summary>
    public MiniUpnpd? PortMapper { get; }

    /// <summary>The router's WAN address: what the internet sees the home as.</summary>
    public IPAddress WanAddress => Wan.Second.Address;

    /// <summary>The router's LAN address: the host's gateway, where UPnP and NAT-PMP are asked.</summary>
    public IPAddress Gateway => Lan.First.Address;

    /// <summary>The host's (private) address.</summary>
    public IPAddress HostAddress => Lan.Second.Address;

    public override string ToString() =>
        $"home {Label}: host {HostAddress} behind router {WanAddress} ({(PortMapper is null ? "no port mapping" : "miniupnpd")})";
}
