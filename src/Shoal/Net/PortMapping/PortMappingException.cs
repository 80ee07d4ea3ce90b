namespace Shoal.Net.PortMapping;

/// <summary>A gateway that would not map a port, or answered what its protocol does not allow; the message says which and why.</summary>
public sealed class PortMappingException(string message, Exception? inner = null) : Exception(message, inner);
