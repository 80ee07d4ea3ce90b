using Shoal.Primitives;

namespace Shoal.Wire;

/// <summary>The payload of a BEP 3 bitfield message: the pieces the sender has, one bit each.</summary>
public static class BitfieldMessage
{
    /// <summary>Reads the payload for a torrent of <paramref name="pieceCount"/> pieces; a wrong length or a set spare bit is a <see cref="PeerProtocolException"/>.</summary>
    public static PieceSet Decode(ReadOnlySpan<byte> payload, int pieceCount)
    {
        if (payload.Length != PieceSet.ByteLengthFor(pieceCount))
        {
            throw new PeerProtocolException($"a bitfield of {payload.Length} bytes does not fit a torrent of {pieceCount} pieces");
        }

        return PieceSet.TryRead(payload, pieceCount, out PieceSet? pieces)
            ? pieces
            : throw new PeerProtocolException("the bitfield sets bits past the last piece");
    }
}
