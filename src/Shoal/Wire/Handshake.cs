using System.Buffers.Binary;
using Shoal.Metainfo;

namespace Shoal.Wire;

/// <summary>
/// BEP 3 handshake: 19, "BitTorrent protocol", 8 reserved bytes, the 20-byte info-hash (v2 torrents
/// use the truncated SHA-256, BEP 52) and the 20-byte peer id.
/// </summary>
public sealed record Handshake(ReservedBits Reserved, InfoHash InfoHash, ReadOnlyMemory<byte> PeerId)
{
    public const int Length = 68;
    public const int PeerIdLength = 20;
    private static ReadOnlySpan<byte> Protocol => "\u0013BitTorrent protocol"u8;

    /// <summary>Reads a handshake from the first 68 bytes; returns false when fewer have arrived.</summary>
    public static bool TryRead(ReadOnlySpan<byte> input, out Handshake? handshake)
    {
        handshake = null;
        int available = Math.Min(input.Length, Protocol.Length);
        if (!input[..available].SequenceEqual(Protocol[..available]))
        {
            throw new PeerProtocolException("the peer does not speak the BitTorrent protocol (bad handshake header)");
        }

        if (input.Length < Length)
        {
            return false;
        }

        var reserved = new ReservedBits(BinaryPrimitives.ReadUInt64BigEndian(input[20..28]));
        handshake = new Handshake(reserved, new InfoHash(input[28..48]), input[48..68].ToArray());
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        if (InfoHash.Length != InfoHash.V1Length || PeerId.Length != PeerIdLength)
        {
            throw new InvalidOperationException("a handshake carries a 20-byte info-hash and a 20-byte peer id");
        }

        Protocol.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..28], Reserved.Value);
        InfoHash.Span.CopyTo(destination[28..48]);
        PeerId.Span.CopyTo(destination[48..68]);
    }
}
