using System.Net;
using Microsoft.Extensions.Logging;

namespace Shoal.Discovery.Lsd;

/// <summary>Local service discovery's log messages.</summary>
internal static partial class LsdLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "local discovery: cannot join {Group}, so it is off there: {Reason}")]
    public static partial void CannotJoin(ILogger logger, IPEndPoint group, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "local discovery: joined {Group}")]
    public static partial void Joined(ILogger logger, IPEndPoint group);

    [LoggerMessage(Level = LogLevel.Debug, Message = "local discovery: sending to {Group} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint group, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "local discovery: receiving on {Group} failed: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint group, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "local discovery: ignored a malformed announce from {Source}: {Reason}")]
    public static partial void Malformed(ILogger logger, IPAddress source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "local discovery: a found-peer handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception error);
}
