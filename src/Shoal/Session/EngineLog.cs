using System.Net;
using Microsoft.Extensions.Logging;

namespace Shoal.Session;

/// <summary>The engine's log messages.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: connected to {Peer} ({Direction})")]
    public static partial void Connected(ILogger logger, string torrent, IPEndPoint peer, string direction);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: connection to {Peer} closed: {Reason}")]
    public static partial void Disconnected(ILogger logger, string torrent, IPEndPoint peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: dialing {Peer} failed: {Reason}")]
    public static partial void DialFailed(ILogger logger, string torrent, IPEndPoint peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: {Have} of {Count} pieces on disk after {How}")]
    public static partial void PiecesFound(ILogger logger, string torrent, int have, int count, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: download complete")]
    public static partial void Completed(ILogger logger, string torrent);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Torrent}: stopped: {Error}")]
    public static partial void Failed(ILogger logger, string torrent, string error);
}
