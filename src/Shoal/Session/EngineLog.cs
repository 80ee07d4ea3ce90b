using System.Net;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>The engine's log messages.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: connected to {Peer} ({Direction})")]
    public static partial void Connected(ILogger logger, string torrent, IPEndPoint peer, string direction);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: connection to {Peer} over {Transport} closed: {Reason} ({Downloaded} payload bytes received on it)")]
    public static partial void Disconnected(ILogger logger, string torrent, IPEndPoint peer, PeerTransport transport, string reason, long downloaded);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: {Count} new peer(s) from {Source}")]
    public static partial void PeersAdded(ILogger logger, string torrent, int count, PeerSource source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: dialing {Peer} failed: {Reason}")]
    public static partial void DialFailed(ILogger logger, string torrent, IPEndPoint peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: {Peer} cannot be dialled; asked {Relay} for a rendezvous (BEP 55)")]
    public static partial void RendezvousRequested(ILogger logger, string torrent, IPEndPoint peer, IPEndPoint relay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: relay {Relay} cannot punch a hole to {Peer}: {Error}")]
    public static partial void HolepunchRefused(ILogger logger, string torrent, IPEndPoint peer, IPEndPoint relay, HolepunchError error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: hole punched to {Peer} via relay {Relay} over {Transport} ({Direction})")]
    public static partial void HolePunched(ILogger logger, string torrent, IPEndPoint peer, IPEndPoint relay, PeerTransport transport, string direction);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: hole punch to {Peer} via relay {Relay} failed: {Reason}")]
    public static partial void HolepunchFailed(ILogger logger, string torrent, IPEndPoint peer, IPEndPoint relay, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: {Have} of {Count} pieces on disk after {How}")]
    public static partial void PiecesFound(ILogger logger, string torrent, int have, int count, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: {Have} of {Count} pieces on disk after a crash: {Recorded} recorded before it, {Hashed} hashed since")]
    public static partial void PiecesFoundAfterCrash(ILogger logger, string torrent, int have, int count, int recorded, int hashed);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: download complete")]
    public static partial void Completed(ILogger logger, string torrent);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: announce ({Event}) to {Tracker}: {Peers} peer(s), {Seeders} seeder(s), {Leechers} leecher(s)")]
    public static partial void Announced(ILogger logger, string torrent, AnnounceEvent @event, Uri tracker, int peers, int? seeders, int? leechers);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: announce ({Event}) to {Tracker} failed: {Error}")]
    public static partial void AnnounceFailed(ILogger logger, string torrent, AnnounceEvent @event, Uri tracker, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: no tracker of tier {Tier} answered stopped within {Seconds} s")]
    public static partial void StoppedUnanswered(ILogger logger, string torrent, int tier, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Torrent}: announce to tier {Tier} failed")]
    public static partial void TierFailed(ILogger logger, string torrent, int tier, Exception error);

    // Information: the failure reaches the application through the torrent's completion and status, and it
    // says it as it shows errors (the CLI as its one error line), so logging it as an error would say it twice.
    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: stopped: {Error}")]
    public static partial void Failed(ILogger logger, string torrent, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Torrent}: the magnet's peer {Peer} does not resolve: {Reason}")]
    public static partial void PeerUnresolved(ILogger logger, string torrent, MagnetPeer peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: metadata fetched ({Size} bytes)")]
    public static partial void MetadataFetched(ILogger logger, string torrent, int size);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: piece layers of {Files} file(s) fetched: {Requests} hash request(s) sent, {Verified} answer(s) proven against the pieces roots")]
    public static partial void PieceLayersFetched(ILogger logger, string torrent, int files, int requests, int verified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Port {Requested} is in use by another program; listening on {Port} instead (peers and port mappings that know {Requested} will not reach this one)")]
    public static partial void PortTaken(ILogger logger, int requested, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DHT cannot use UDP port {Port}: {Reason}; going on without it")]
    public static partial void DhtUnavailable(ILogger logger, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DHT's saved table {File} cannot be read or written: {Reason}")]
    public static partial void DhtStateUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{InfoHash}: announced to the DHT, {Peers} peers found, {Nodes} nodes in the table")]
    public static partial void DhtAnnounced(ILogger logger, InfoHash infoHash, int peers, int nodes);

    [LoggerMessage(Level = LogLevel.Error, Message = "{InfoHash}: the DHT lookups stopped")]
    public static partial void DhtFailed(ILogger logger, InfoHash infoHash, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Torrent}: web seed {Url} failed, retried in {Seconds} s: {Reason}")]
    public static partial void WebSeedFailed(ILogger logger, string torrent, string url, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Torrent}: web seed {Url} discarded: {Reason}")]
    public static partial void WebSeedDiscarded(ILogger logger, string torrent, string url, string reason);
}
