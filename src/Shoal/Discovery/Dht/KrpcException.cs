namespace Shoal.Discovery.Dht;

/// <summary>A KRPC packet breaks BEP 5 (or the limits this node sets); the only error the codec throws.</summary>
public sealed class KrpcException(string message, Exception? inner = null) : FormatException(message, inner);
