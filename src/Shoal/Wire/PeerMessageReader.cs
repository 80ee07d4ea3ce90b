using System.Buffers;

namespace Shoal.Wire;

/// <summary>
/// Sans-I/O decoder of length-prefixed peer wire messages (BEP 3, 6, 10, 52). It never allocates:
/// payloads are slices of the caller's buffer. Lengths are checked before anything is buffered, so
/// a peer cannot make us hold more than <see cref="MaxMessageLength"/> bytes.
/// </summary>
public sealed class PeerMessageReader(int maxMessageLength = PeerMessageReader.DefaultMaxMessageLength)
{
    /// <summary>Room for a bitfield of 16 million pieces, or a 16 KiB block with any header.</summary>
    public const int DefaultMaxMessageLength = 2 * 1024 * 1024;

    public int MaxMessageLength { get; } = maxMessageLength;

    /// <summary>
    /// Decodes the message at the start of <paramref name="buffer"/> and slices it off. Returns false,
    /// leaving the buffer untouched, until the whole message has arrived.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out PeerMessage message)
    {
        message = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int length))
        {
            return false;
        }

        if (length < 0 || length > MaxMessageLength)
        {
            throw new PeerProtocolException($"message of {(uint)length} bytes is longer than the {MaxMessageLength} allowed");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        ReadOnlySequence<byte> body = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        message = length == 0 ? PeerMessage.KeepAlive : Decode(body);
        return true;
    }

    private static PeerMessage Decode(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        reader.TryRead(out byte rawId);
        var id = (MessageId)rawId;
        int payloadLength = (int)body.Length - 1;
        switch (id)
        {
            case MessageId.Choke or MessageId.Unchoke or MessageId.Interested or MessageId.NotInterested
                or MessageId.HaveAll or MessageId.HaveNone:
                Expect(id, payloadLength, 0);
                return new PeerMessage { Id = id };
            case MessageId.Have or MessageId.SuggestPiece or MessageId.AllowedFast:
                Expect(id, payloadLength, 4);
                return new PeerMessage { Id = id, Index = ReadIndex(ref reader, id) };
            case MessageId.Request or MessageId.Cancel or MessageId.RejectRequest:
                Expect(id, payloadLength, 12);
                return new PeerMessage { Id = id, Index = ReadIndex(ref reader, id), Begin = ReadIndex(ref reader, id), Length = ReadIndex(ref reader, id) };
            case MessageId.Piece:
                if (payloadLength < 8)
                {
                    throw new PeerProtocolException($"piece message of {payloadLength + 1} bytes is shorter than its header");
                }

                return new PeerMessage { Id = id, Index = ReadIndex(ref reader, id), Begin = ReadIndex(ref reader, id), Payload = body.Slice(9) };
            case MessageId.Port:
                Expect(id, payloadLength, 2);
                reader.TryReadBigEndian(out short port);
                return new PeerMessage { Id = id, Port = (ushort)port };
            case MessageId.Extended:
                if (payloadLength < 1)
                {
                    throw new PeerProtocolException("extended message without an extension id");
                }

                reader.TryRead(out byte extendedId);
                return new PeerMessage { Id = id, ExtendedId = extendedId, Payload = body.Slice(2) };
            case MessageId.HashRequest or MessageId.HashReject:
                Expect(id, payloadLength, HashRequest.PayloadLength);
                return new PeerMessage { Id = id, Payload = body.Slice(1) };
            case MessageId.Hashes:
                if (payloadLength < HashRequest.PayloadLength || (payloadLength - HashRequest.PayloadLength) % HashesMessage.HashSize != 0)
                {
                    throw new PeerProtocolException($"hashes message of {payloadLength} payload bytes is not a header and whole 32-byte hashes");
                }

                return new PeerMessage { Id = id, Payload = body.Slice(1) };
            default:
                // Bitfield and ids we do not know: the caller judges the payload.
                return new PeerMessage { Id = id, Payload = body.Slice(1) };
        }
    }

    private static void Expect(MessageId id, int payloadLength, int expected)
    {
        if (payloadLength != expected)
        {
            throw new PeerProtocolException($"{id} message has {payloadLength} payload bytes, not {expected}");
        }
    }

    private static int ReadIndex(ref SequenceReader<byte> reader, MessageId id)
    {
        reader.TryReadBigEndian(out int value);
        return value >= 0 ? value : throw new PeerProtocolException($"{id} message has a field of {(uint)value}, beyond 2^31");
    }
}
