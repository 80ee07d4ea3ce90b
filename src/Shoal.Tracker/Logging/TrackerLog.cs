using System.Net;
using Microsoft.Extensions.Logging;

namespace Shoal.Tracker.Logging;

/// <summary>The tracker's structured log messages.</summary>
internal static partial class TrackerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Tracker listening on {Address} port {Port} (HTTP and UDP), store {Store}, {Mode} mode")]
    public static partial void Listening(ILogger logger, IPAddress address, int port, string store, string mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Expired {Peers} peers; {Swarms} swarms remain")]
    public static partial void PeersExpired(ILogger logger, int peers, int swarms);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Restored {Peers} peers in {Swarms} swarms")]
    public static partial void PeersRestored(ILogger logger, int peers, int swarms);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Saved {Peers} peers in {Swarms} swarms changed since the last save; forgot {Emptied} swarms left empty")]
    public static partial void PeersSaved(ILogger logger, int peers, int swarms, int emptied);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "No peers restored: announce interval {Seconds} s until {Until:u}, so swarms refill quickly")]
    public static partial void RefillingSwarms(ILogger logger, int seconds, DateTimeOffset until);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Left out {Peers} saved peers: over the peer caps")]
    public static partial void PeersLeftOut(ILogger logger, int peers);

    [LoggerMessage(
        EventId = 24,
        Level = LogLevel.Warning,
        Message = "Refused new peers in the last minute: {Total} with the tracker full, {PerSwarm} with their swarm full, {PerAddress} with their address full; {Peers} peers held")]
    public static partial void PeersRefused(ILogger logger, long total, long perSwarm, long perAddress, int peers);

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

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "{Pending} UDP requests are waiting for the store, the most allowed: dropping new packets until some finish")]
    public static partial void UdpShedding(ILogger logger, int pending);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "UDP requests are answered again; {Dropped} packets were dropped while the store was slow")]
    public static partial void UdpShed(ILogger logger, long dropped);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "UDP socket error {Error}")]
    public static partial void UdpSocketError(ILogger logger, System.Net.Sockets.SocketError error);

    // Account events name users and groups, never a password, token or passkey. A failed login
    // names no user either: people type passwords into the name field.
    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Created user {User}")]
    public static partial void UserCreated(ILogger logger, string user);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{User} logged in from {Remote}")]
    public static partial void LoggedIn(ILogger logger, string user, IPAddress remote);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "A login from {Remote} failed")]
    public static partial void LoginFailed(ILogger logger, IPAddress remote);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Refused a login or sign-up from {Remote}: too many attempts")]
    public static partial void LoginThrottled(ILogger logger, IPAddress remote);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{User} changed their password; their other sessions are revoked")]
    public static partial void PasswordChanged(ILogger logger, string user);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "{Owner} created group {Group}")]
    public static partial void GroupCreated(ILogger logger, string group, string owner);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "{Owner} deleted group {Group}")]
    public static partial void GroupDeleted(ILogger logger, string group, string owner);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Group {Group}: {User}'s request to join {Outcome}")]
    public static partial void JoinResolved(ILogger logger, string group, string user, string outcome);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Group {Group}: {User} is no longer a member")]
    public static partial void MemberRemoved(ILogger logger, string group, string user);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "{User} shared {Name} into group {Group}")]
    public static partial void FileShared(ILogger logger, string name, string group, string user);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "{User} stopped sharing {Name} in group {Group}")]
    public static partial void SharingStopped(ILogger logger, string name, string group, string user);
}
