namespace Shoal.Discovery.Dht;

/// <summary>BEP 5 node liveness in a routing table.</summary>
public enum NodeState
{
    Good,
    Questionable,
    Bad,
}
