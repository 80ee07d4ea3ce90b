using Shoal.Bencoding;

namespace Shoal.Wire;

/// <summary>
/// A BEP 9 <c>ut_metadata</c> message: a bencoded dictionary (<c>msg_type</c>, <c>piece</c>, and
/// <c>total_size</c> for data), followed for data by the raw bytes of that 16 KiB piece of the info dictionary.
/// </summary>
public readonly record struct MetadataMessage(MetadataMessageType Type, int Piece, long TotalSize, ReadOnlyMemory<byte> Data)
{
    public const string ExtensionName = "ut_metadata";

    /// <summary>BEP 9: the info dictionary travels in pieces of 16 KiB, the last one shorter.</summary>
    public const int PieceSize = 16 * 1024;

    private static readonly BencodeLimits Limits = BencodeLimits.Default with { MaxDepth = 2, MaxTokens = 64 };

    public static MetadataMessage Request(int piece) => new(MetadataMessageType.Request, piece, 0, default);

    public static MetadataMessage Reject(int piece) => new(MetadataMessageType.Reject, piece, 0, default);

    public static MetadataMessage DataPiece(int piece, long totalSize, ReadOnlyMemory<byte> data) => new(MetadataMessageType.Data, piece, totalSize, data);

    /// <summary>Reads a peer's message; a malformed one is a <see cref="PeerProtocolException"/>. Unknown keys are ignored.</summary>
    public static MetadataMessage Parse(ReadOnlyMemory<byte> payload)
    {
        BDictionary dictionary;
        int consumed;
        try
        {
            dictionary = BencodeDecoder.DecodePrefix(payload, out consumed, Limits) as BDictionary
                ?? throw new PeerProtocolException("ut_metadata message is not a dictionary");
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException($"malformed ut_metadata message: {e.Message}");
        }

        if (dictionary["msg_type"] is not BInteger { Value: >= 0 and <= 2 } type)
        {
            throw new PeerProtocolException("ut_metadata message without a known msg_type");
        }

        if (dictionary["piece"] is not BInteger { Value: >= 0 and <= int.MaxValue } piece)
        {
            throw new PeerProtocolException("ut_metadata message without a valid piece");
        }

        var messageType = (MetadataMessageType)type.Value;
        if (messageType != MetadataMessageType.Data)
        {
            return new MetadataMessage(messageType, (int)piece.Value, 0, default);
        }

        if (dictionary["total_size"] is not BInteger { Value: > 0 } totalSize)
        {
            throw new PeerProtocolException("ut_metadata data without a valid total_size");
        }

        return new MetadataMessage(messageType, (int)piece.Value, totalSize.Value, payload[consumed..]);
    }

    public byte[] Encode()
    {
        var dictionary = new BDictionary()
            .Set("msg_type", new BInteger((int)Type))
            .Set("piece", new BInteger(Piece));
        if (Type != MetadataMessageType.Data)
        {
            return dictionary.Encode();
        }

        dictionary.Set("total_size", new BInteger(TotalSize));
        byte[] header = dictionary.Encode();
        byte[] message = new byte[header.Length + Data.Length];
        header.CopyTo(message, 0);
        Data.Span.CopyTo(message.AsSpan(header.Length));
        return message;
    }
}
