namespace Shoal.Discovery.Lsd;

/// <summary>A datagram is not a well-formed BEP 14 announce.</summary>
public sealed class LsdMessageException(string message) : FormatException(message);
