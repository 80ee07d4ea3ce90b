using System.Buffers;
using System.Buffers.Binary;

namespace Shoal.Wire;

/// <summary>Encodes peer wire messages (BEP 3, 5, 6, 10, 52) into a caller's buffer.</summary>
public static class PeerMessageWriter
{
    public static void WriteKeepAlive(IBufferWriter<byte> output) => WriteHeader(output, 0, payloadLength: -1);

    /// <summary>Choke, unchoke, interested, not interested, have all, have none.</summary>
    public static void WriteSimple(IBufferWriter<byte> output, MessageId id) => WriteHeader(output, id, 0);

    /// <summary>Have, suggest piece, allowed fast.</summary>
    public static void WriteIndex(IBufferWriter<byte> output, MessageId id, int index)
    {
        WriteHeader(output, id, 4);
        WriteInt(output, index);
    }

    /// <summary>Request, cancel, reject request.</summary>
    public static void WriteBlockReference(IBufferWriter<byte> output, MessageId id, int index, int begin, int length)
    {
        WriteHeader(output, id, 12);
        WriteInt(output, index);
        WriteInt(output, begin);
        WriteInt(output, length);
    }

    public static void WriteBitfield(IBufferWriter<byte> output, ReadOnlySpan<byte> bitfield)
    {
        WriteHeader(output, MessageId.Bitfield, bitfield.Length);
        output.Write(bitfield);
    }

    /// <summary>The 13-byte header of a piece message; the block follows it, sent without a copy where the transport allows.</summary>
    public static void WritePieceHeader(IBufferWriter<byte> output, int index, int begin, int blockLength)
    {
        WriteHeader(output, MessageId.Piece, 8 + blockLength);
        WriteInt(output, index);
        WriteInt(output, begin);
    }

    public static void WritePort(IBufferWriter<byte> output, ushort port)
    {
        WriteHeader(output, MessageId.Port, 2);
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), port);
        output.Advance(2);
    }

    /// <summary>BEP 10: id 20, the extension's id (0 for the handshake), then its bencoded payload.</summary>
    public static void WriteExtended(IBufferWriter<byte> output, byte extendedId, ReadOnlySpan<byte> payload)
    {
        WriteHeader(output, MessageId.Extended, 1 + payload.Length);
        output.GetSpan(1)[0] = extendedId;
        output.Advance(1);
        output.Write(payload);
    }

    /// <summary>BEP 52 hash request or hash reject: the same 48-byte payload.</summary>
    public static void WriteHashRequest(IBufferWriter<byte> output, MessageId id, in HashRequest request)
    {
        WriteHeader(output, id, HashRequest.PayloadLength);
        request.WriteTo(output.GetSpan(HashRequest.PayloadLength));
        output.Advance(HashRequest.PayloadLength);
    }

    /// <summary>BEP 52 hashes: the request answered, then its base hashes and uncle hashes, concatenated.</summary>
    public static void WriteHashes(IBufferWriter<byte> output, in HashRequest request, ReadOnlySpan<byte> hashes)
    {
        WriteHeader(output, MessageId.Hashes, HashRequest.PayloadLength + hashes.Length);
        request.WriteTo(output.GetSpan(HashRequest.PayloadLength));
        output.Advance(HashRequest.PayloadLength);
        output.Write(hashes);
    }

    private static void WriteHeader(IBufferWriter<byte> output, MessageId id, int payloadLength)
    {
        bool keepAlive = payloadLength < 0;
        Span<byte> span = output.GetSpan(5);
        BinaryPrimitives.WriteInt32BigEndian(span, keepAlive ? 0 : payloadLength + 1);
        if (keepAlive)
        {
            output.Advance(4);
            return;
        }

        span[4] = (byte)id;
        output.Advance(5);
    }

    private static void WriteInt(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
