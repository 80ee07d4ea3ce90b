using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>What an iterative lookup found: peers (get_peers) and the closest nodes that answered.</summary>
public sealed record DhtLookupResult(NodeId Target, IReadOnlyList<IPEndPoint> Peers, IReadOnlyList<NodeInfo> ClosestNodes, int QueriesSent);
