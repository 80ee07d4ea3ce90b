namespace Shoal.Net.WebSeeds;

/// <summary>A web seed that cannot be used now: an HTTP error, a refused or dropped connection, a short or mismatched answer, a timeout.</summary>
public sealed class WebSeedException(string message, Exception? inner = null) : Exception(message, inner);
