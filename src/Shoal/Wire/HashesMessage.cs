using System.Buffers;

namespace Shoal.Wire;

/// <summary>
/// A BEP 52 <c>hashes</c> message (id 22): the request it answers, then the requested hashes of the base layer
/// followed by the uncle hashes, lowest first.
/// </summary>
public readonly record struct HashesMessage(HashRequest Request, ReadOnlyMemory<byte> Hashes)
{
    public const int HashSize = 32;

    /// <summary>Requested hashes plus one uncle per proof layer, at the most.</summary>
    public const int MaxHashes = HashRequest.MaxLength + HashRequest.MaxLayers;

    /// <summary>The hashes of the base layer.</summary>
    public ReadOnlyMemory<byte> BaseHashes => Hashes[..(Request.Length * HashSize)];

    /// <summary>The uncle hashes that prove the base hashes, the lowest layer first.</summary>
    public ReadOnlyMemory<byte> UncleHashes => Hashes[(Request.Length * HashSize)..];

    /// <summary>Reads a payload; the hashes are copied out of the receive buffer.</summary>
    public static HashesMessage Read(ReadOnlySequence<byte> payload)
    {
        long hashBytes = payload.Length - HashRequest.PayloadLength;
        if (hashBytes < 0 || hashBytes % HashSize != 0 || hashBytes / HashSize > MaxHashes)
        {
            throw new PeerProtocolException($"hashes message of {payload.Length} payload bytes is not a header and at most {MaxHashes} 32-byte hashes");
        }

        Span<byte> header = stackalloc byte[HashRequest.PayloadLength];
        payload.Slice(0, HashRequest.PayloadLength).CopyTo(header);
        HashRequest request = HashRequest.FromBytes(header);
        if (!request.IsWellFormed || hashBytes / HashSize < request.Length || (hashBytes / HashSize) - request.Length > HashRequest.MaxLayers)
        {
            throw new PeerProtocolException($"hashes message for {request.Length} hashes at layer {request.BaseLayer} carries {hashBytes / HashSize}");
        }

        return new HashesMessage(request, payload.Slice(HashRequest.PayloadLength).ToArray());
    }
}
