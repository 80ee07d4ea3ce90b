using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>A snapshot of a DHT node for status displays and <c>shoal doctor</c>.</summary>
public sealed record DhtState(NodeId Id, int RoutingTableSize, int StoredPeers, int StoredInfoHashes, int PendingQueries)
{
    /// <summary>Nodes in the routing table that answered us within the last 15 minutes (BEP 5's good nodes).</summary>
    public int GoodNodes { get; init; }

    /// <summary>Our external address as nodes report it (BEP 42), or as the session gave it; null while unknown.</summary>
    public IPAddress? ExternalAddress { get; init; }

    /// <summary>How many answering nodes reported an address of ours.</summary>
    public int ExternalAddressVoters { get; init; }

    /// <summary>Whether <see cref="Id"/> conforms to <see cref="ExternalAddress"/> (BEP 42); null while the address is unknown.</summary>
    public bool? IdConforms { get; init; }

    /// <summary>The bootstrap endpoints that answered us.</summary>
    public IReadOnlyList<IPEndPoint> BootstrapAnswered { get; init; } = [];

    /// <summary>Each bootstrap host name given and what became of it; filled in by <see cref="DhtService"/>.</summary>
    public IReadOnlyList<DhtBootstrapHost> BootstrapHosts { get; init; } = [];
}
