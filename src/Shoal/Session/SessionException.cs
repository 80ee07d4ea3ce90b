namespace Shoal.Session;

/// <summary>A request the session cannot carry out (a torrent added twice, a magnet link without metadata).</summary>
public sealed class SessionException(string message) : Exception(message);
