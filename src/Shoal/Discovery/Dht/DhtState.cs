namespace Shoal.Discovery.Dht;

/// <summary>A snapshot of a DHT node for status displays.</summary>
public sealed record DhtState(NodeId Id, int RoutingTableSize, int StoredPeers, int StoredInfoHashes, int PendingQueries);
