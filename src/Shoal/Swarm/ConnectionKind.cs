namespace Shoal.Swarm;

/// <summary>How a connection's bytes travel: TCP or uTP, encrypted (MSE with RC4) or not.</summary>
public readonly record struct ConnectionKind(PeerTransport Transport, bool Encrypted)
{
    /// <summary>"TCP", "uTP", "TCP, encrypted", "uTP, encrypted".</summary>
    public override string ToString() => (Transport == PeerTransport.Utp ? "uTP" : "TCP") + (Encrypted ? ", encrypted" : "");
}
