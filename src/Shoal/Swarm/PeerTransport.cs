namespace Shoal.Swarm;

/// <summary>What carries a connection's bytes.</summary>
public enum PeerTransport
{
    Tcp,

    /// <summary>The micro transport protocol on UDP (BEP 29).</summary>
    Utp,
}
