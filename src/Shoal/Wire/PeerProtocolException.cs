namespace Shoal.Wire;

/// <summary>A peer sent bytes that break the peer wire protocol; the connection should be closed.</summary>
public sealed class PeerProtocolException(string message) : FormatException(message);
