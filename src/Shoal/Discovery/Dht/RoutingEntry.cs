namespace Shoal.Discovery.Dht;

/// <summary>A node in the routing table with what BEP 5 needs to judge it good, questionable or bad.</summary>
internal sealed class RoutingEntry(NodeInfo node, DateTimeOffset now)
{
    /// <summary>BEP 5: a node that has not been heard from for 15 minutes becomes questionable.</summary>
    public static readonly TimeSpan GoodFor = TimeSpan.FromMinutes(15);

    /// <summary>BEP 5: a node that fails to respond to multiple queries in a row is bad.</summary>
    public const int FailuresUntilBad = 2;

    public NodeInfo Node { get; } = node;

    /// <summary>Whether the node's id conforms to its address (BEP 42), or its address is exempt.</summary>
    public bool Conforms { get; } = NodeIdRestriction.Conforms(node.Id, node.EndPoint.Address);

    public DateTimeOffset LastSeen { get; set; } = now;

    public bool EverResponded { get; set; }

    public int Failures { get; set; }

    public NodeState StateAt(DateTimeOffset now) =>
        Failures >= FailuresUntilBad ? NodeState.Bad
        : EverResponded && now - LastSeen < GoodFor ? NodeState.Good
        : NodeState.Questionable;
}
