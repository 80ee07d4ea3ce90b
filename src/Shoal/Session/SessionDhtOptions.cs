using System.Net;
using Shoal.Discovery.Dht;

namespace Shoal.Session;

/// <summary>How a session uses the Mainline DHT (BEP 5): where it starts from and where it keeps its table.</summary>
public sealed record SessionDhtOptions
{
    /// <summary>
    /// Nodes to join through; those that answer enter the routing table. A <see cref="DnsEndPoint"/> is resolved after
    /// the start, off the session's path, and again later while the DHT knows no node.
    /// </summary>
    public IReadOnlyList<EndPoint> Bootstrap { get; init; } = [];

    /// <summary>The routing table is saved here on shutdown and read back on the next start; none when null.</summary>
    public string? StateFile { get; init; }

    /// <summary>
    /// Whether the next start takes the node id saved in <see cref="StateFile"/>. Only for a file no other session reads:
    /// two nodes with one id never enter each other's tables (`shoal get` beside `shoal share` share their file).
    /// </summary>
    public bool KeepNodeId { get; init; }

    /// <summary>The node's own settings (BEP 43 read-only mode among them).</summary>
    public DhtNodeOptions Node { get; init; } = new();

    /// <summary>How often a torrent announces itself and looks for peers once it has found some.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromMinutes(15);
}
