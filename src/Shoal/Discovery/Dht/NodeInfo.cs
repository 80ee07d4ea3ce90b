using System.Net;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>A DHT node's id and UDP endpoint, as carried in compact node info (BEP 5, BEP 32).</summary>
public sealed record NodeInfo(NodeId Id, IPEndPoint EndPoint)
{
    internal static NodeInfo FromCompact(CompactNode node) => new(new NodeId(node.Id), node.EndPoint);

    internal CompactNode ToCompact() => new(Id.Value, EndPoint);
}
