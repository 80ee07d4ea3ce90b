namespace Shoal.Net;

/// <summary>A socket could not be opened where the user asked (port in use, address not local).</summary>
public sealed class NetworkException(string message) : Exception(message);
