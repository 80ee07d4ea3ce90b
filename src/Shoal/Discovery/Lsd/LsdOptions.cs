using System.Net;

namespace Shoal.Discovery.Lsd;

/// <summary>Settings of local service discovery (BEP 14); the defaults follow the BEP.</summary>
public sealed record LsdOptions
{
    public static LsdOptions Default { get; } = new();

    /// <summary>The IPv4 group and port (BEP 14 group A, org-local); null to leave IPv4 out.</summary>
    public IPEndPoint? IPv4Group { get; init; } = new(IPAddress.Parse("239.192.152.143"), 6771);

    /// <summary>The IPv6 group and port (BEP 14 group B, site-local); null to leave IPv6 out.</summary>
    public IPEndPoint? IPv6Group { get; init; } = new(IPAddress.Parse("ff15::efc0:988f"), 6771);

    /// <summary>The local IPv4 address of the interface to join and send on; <see cref="IPAddress.Any"/> lets the system choose.</summary>
    public IPAddress IPv4Interface { get; init; } = IPAddress.Any;

    /// <summary>The index of the interface to join and send on for IPv6; 0 lets the system choose.</summary>
    public int IPv6InterfaceIndex { get; init; }

    /// <summary>
    /// The multicast TTL (hop limit). 1 keeps announces on the local link; BEP 14 notes that reaching
    /// the groups' whole (org- or site-local) scope needs more.
    /// </summary>
    public int MulticastTimeToLive { get; init; } = 1;

    /// <summary>How often each torrent is announced again (BEP 14: every 5 minutes).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two announces sent, so that many torrents do not flood the network.</summary>
    public TimeSpan MinSendInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many announces one source address may send at once before <see cref="SourceRefillInterval"/> applies.</summary>
    public int SourceBurst { get; init; } = 10;

    /// <summary>After a burst, a source address is heard once per this interval.</summary>
    public TimeSpan SourceRefillInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many source addresses are rate-limited at once; announces from further new sources are dropped.</summary>
    public int MaxTrackedSources { get; init; } = 1024;
}
