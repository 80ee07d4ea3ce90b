using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// An announce request (BEP 15) read in place, the info-hash and peer id held as 20-byte values: what a
/// tracker reads from each packet without allocating. <see cref="ToRequest"/> gives the same request as
/// the <see cref="UdpAnnounceRequest"/> a client writes.
/// </summary>
public readonly record struct UdpAnnounceFields(
    long ConnectionId,
    int TransactionId,
    UInt160 InfoHash,
    UInt160 PeerId,
    long Downloaded,
    long Left,
    long Uploaded,
    AnnounceEvent Event,
    uint IPv4Address,
    uint Key,
    int NumWant,
    ushort Port)
{
    public UdpAnnounceRequest ToRequest()
    {
        Span<byte> hash = stackalloc byte[UInt160.Size];
        InfoHash.WriteTo(hash);
        return new UdpAnnounceRequest(
            ConnectionId, TransactionId, new InfoHash(hash), PeerId.ToArray(), Downloaded, Left, Uploaded, Event, IPv4Address, Key, NumWant, Port);
    }
}
