namespace Shoal.TrackerLoad;

/// <summary>A BEP 15 error action, or an answer that does not fit the request.</summary>
internal sealed class TrackerErrorException(string message) : Exception(message);
