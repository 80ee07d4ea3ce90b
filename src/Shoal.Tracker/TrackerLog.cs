using System.Net;
using Microsoft.Extensions.Logging;

namespace Shoal.Tracker;

/// <summary>The tracker's structured log messages.</summary>
internal static partial class TrackerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Tracker listening on {Address} port {Port} (HTTP and UDP), store {Store}, {Mode} mode")]
    public static partial void Listening(ILogger logger, IPAddress address, int port, string store, string mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Expired {Peers} peers; {Swarms} swarms remain")]
    public static partial void PeersExpired(ILogger logger, int peers, int swarms);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Writing to the store failed; will retry")]
    public static partial void StoreWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Refused a request from {Remote}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, IPAddress remote, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "A request from {Remote} failed")]
    public static partial void RequestFailed(ILogger logger, IPAddress remote, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Registered {Name} ({InfoHash})")]
    public static partial void Registered(ILogger logger, string name, string infoHash);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Dropped a UDP packet from {Remote}: {Reason}")]
    public static partial void UdpDropped(ILogger logger, EndPoint remote, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "UDP socket error {Error}")]
    public static partial void UdpSocketError(ILogger logger, System.Net.Sockets.SocketError error);
}
