namespace Shoal.Net;

/// <summary>A socket could not be opened where the user asked (port in use, address not local).</summary>
public sealed class NetworkException(string message, bool portInUse = false) : Exception(message)
{
    /// <summary>Another socket holds the port: a caller that may take another port can try the next one.</summary>
    public bool PortInUse { get; } = portInUse;
}
