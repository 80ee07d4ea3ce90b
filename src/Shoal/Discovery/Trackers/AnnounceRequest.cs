using System.Net;
using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// One HTTP announce (BEP 3 "trackers" section, BEP 23 <c>compact</c>). A v2 info-hash is sent
/// truncated to 20 bytes (BEP 52). Equality compares the peer id by content.
/// </summary>
/// <param name="InfoHash">The torrent's info-hash.</param>
/// <param name="PeerId">The announcing peer's 20-byte id.</param>
/// <param name="Port">The port the peer listens on, 1 to 65535.</param>
/// <param name="Uploaded">Bytes uploaded since the <see cref="AnnounceEvent.Started"/> announce.</param>
/// <param name="Downloaded">Bytes downloaded since the <see cref="AnnounceEvent.Started"/> announce.</param>
/// <param name="Left">Bytes still to download.</param>
/// <param name="Event">The announce event.</param>
/// <param name="Compact">Whether the peer prefers the compact peer list of BEP 23.</param>
public sealed record AnnounceRequest(
    InfoHash InfoHash,
    ReadOnlyMemory<byte> PeerId,
    int Port,
    long Uploaded,
    long Downloaded,
    long Left,
    AnnounceEvent Event = AnnounceEvent.None,
    bool Compact = true)
{
    /// <summary>The length of a peer id and of an info-hash in a tracker request.</summary>
    public const int IdLength = 20;

    /// <summary>How many peers the client asks for; <see langword="null"/> lets the tracker choose.</summary>
    public int? NumWant { get; init; }

    /// <summary>An opaque value that lets the tracker recognise the peer across IP changes.</summary>
    public string? Key { get; init; }

    /// <summary>The <c>tracker id</c> a previous response returned, echoed as <c>trackerid</c>.</summary>
    public string? TrackerId { get; init; }

    /// <summary>The address the peer says it is at (BEP 3 <c>ip</c>); trackers mostly ignore it.</summary>
    public IPAddress? IP { get; init; }

    public bool Equals(AnnounceRequest? other) =>
        other is not null
        && InfoHash.Equals(other.InfoHash)
        && PeerId.Span.SequenceEqual(other.PeerId.Span)
        && Port == other.Port
        && Uploaded == other.Uploaded
        && Downloaded == other.Downloaded
        && Left == other.Left
        && Event == other.Event
        && Compact == other.Compact
        && NumWant == other.NumWant
        && Key == other.Key
        && TrackerId == other.TrackerId
        && Equals(IP, other.IP);

    public override int GetHashCode() => HashCode.Combine(InfoHash, Port, Uploaded, Downloaded, Left, Event);
}
