using System.Net;
using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>A UDP tracker packet (BEP 15); every one carries the transaction id the client chose.</summary>
/// <param name="TransactionId">Matches a response to its request.</param>
public abstract record UdpTrackerMessage(int TransactionId);

/// <summary>Connect request (BEP 15): protocol id, action 0, transaction id; 16 bytes.</summary>
public sealed record UdpConnectRequest(int TransactionId) : UdpTrackerMessage(TransactionId);

/// <summary>Connect response (BEP 15): action 0, transaction id, connection id; 16 bytes.</summary>
public sealed record UdpConnectResponse(int TransactionId, long ConnectionId) : UdpTrackerMessage(TransactionId);

/// <summary>
/// Announce request (BEP 15), 98 bytes. <see cref="NumWant"/> -1 lets the tracker choose;
/// <see cref="IPv4Address"/> 0 means the packet's source address. Equality compares the peer id by content.
/// </summary>
public sealed record UdpAnnounceRequest(
    long ConnectionId,
    int TransactionId,
    InfoHash InfoHash,
    ReadOnlyMemory<byte> PeerId,
    long Downloaded,
    long Left,
    long Uploaded,
    AnnounceEvent Event,
    uint IPv4Address,
    uint Key,
    int NumWant,
    ushort Port) : UdpTrackerMessage(TransactionId)
{
    public bool Equals(UdpAnnounceRequest? other) =>
        other is not null
        && ConnectionId == other.ConnectionId
        && TransactionId == other.TransactionId
        && InfoHash.Equals(other.InfoHash)
        && PeerId.Span.SequenceEqual(other.PeerId.Span)
        && Downloaded == other.Downloaded
        && Left == other.Left
        && Uploaded == other.Uploaded
        && Event == other.Event
        && IPv4Address == other.IPv4Address
        && Key == other.Key
        && NumWant == other.NumWant
        && Port == other.Port;

    public override int GetHashCode() => HashCode.Combine(ConnectionId, TransactionId, InfoHash, Left, Key, Port);
}

/// <summary>
/// Announce response (BEP 15): 20 bytes then 6 bytes per IPv4 peer or 18 per IPv6 peer, depending
/// on the address family the packet travels over.
/// </summary>
public sealed record UdpAnnounceResponse(int TransactionId, int Interval, int Leechers, int Seeders, IReadOnlyList<IPEndPoint> Peers)
    : UdpTrackerMessage(TransactionId);

/// <summary>Scrape request (BEP 15): 16 bytes then 20 per info-hash, at most 74.</summary>
public sealed record UdpScrapeRequest(long ConnectionId, int TransactionId, IReadOnlyList<InfoHash> InfoHashes)
    : UdpTrackerMessage(TransactionId);

/// <summary>Scrape response (BEP 15): 8 bytes then 12 per info-hash, in the request's order.</summary>
public sealed record UdpScrapeResponse(int TransactionId, IReadOnlyList<ScrapeStats> Stats) : UdpTrackerMessage(TransactionId);

/// <summary>Error response (BEP 15): 8 bytes then the message text.</summary>
public sealed record UdpErrorResponse(int TransactionId, string Message) : UdpTrackerMessage(TransactionId);
