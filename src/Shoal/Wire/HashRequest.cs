using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace Shoal.Wire;

/// <summary>
/// The payload of a BEP 52 <c>hash request</c> (id 21) or <c>hash reject</c> (id 23): a file's pieces root,
/// the layer the hashes start at (0 is the 16 KiB leaves), the index of the first hash in that layer, how many,
/// and how many layers of uncle hashes above them.
/// </summary>
public readonly record struct HashRequest(ReadOnlyMemory<byte> PiecesRoot, int BaseLayer, int Index, int Length, int ProofLayers)
{
    public const int RootLength = 32;
    public const int PayloadLength = RootLength + 16;

    /// <summary>The most hashes one request may ask for: libtorrent's limit, a 128 MiB piece in leaves.</summary>
    public const int MaxLength = 8192;

    /// <summary>A file of 2^62 bytes has 48 layers above its leaves; more is nonsense.</summary>
    public const int MaxLayers = 64;

    /// <summary>
    /// Whether the fields are what BEP 52 allows, whatever the file: non-negative, a power of two of hashes (libtorrent
    /// asks for one at the end of a file, though the BEP says two) starting at a multiple of it, bounded layers.
    /// </summary>
    public bool IsWellFormed =>
        BaseLayer is >= 0 and < MaxLayers
        && ProofLayers is >= 0 and < MaxLayers
        && Length is > 0 and <= MaxLength
        && BitOperations.IsPow2(Length)
        && Index >= 0
        && Index % Length == 0;

    /// <summary>Reads the 48-byte payload of a hash request or hash reject.</summary>
    public static HashRequest Read(ReadOnlySequence<byte> payload)
    {
        if (payload.Length != PayloadLength)
        {
            throw new PeerProtocolException($"hash request of {payload.Length} payload bytes, not {PayloadLength}");
        }

        Span<byte> bytes = stackalloc byte[PayloadLength];
        payload.CopyTo(bytes);
        return FromBytes(bytes);
    }

    internal static HashRequest FromBytes(ReadOnlySpan<byte> bytes) => new(
        bytes[..RootLength].ToArray(),
        BinaryPrimitives.ReadInt32BigEndian(bytes[RootLength..]),
        BinaryPrimitives.ReadInt32BigEndian(bytes[(RootLength + 4)..]),
        BinaryPrimitives.ReadInt32BigEndian(bytes[(RootLength + 8)..]),
        BinaryPrimitives.ReadInt32BigEndian(bytes[(RootLength + 12)..]));

    internal void WriteTo(Span<byte> destination)
    {
        if (PiecesRoot.Length != RootLength)
        {
            throw new InvalidOperationException("a pieces root is 32 bytes");
        }

        PiecesRoot.Span.CopyTo(destination);
        BinaryPrimitives.WriteInt32BigEndian(destination[RootLength..], BaseLayer);
        BinaryPrimitives.WriteInt32BigEndian(destination[(RootLength + 4)..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[(RootLength + 8)..], Length);
        BinaryPrimitives.WriteInt32BigEndian(destination[(RootLength + 12)..], ProofLayers);
    }

    public bool Equals(HashRequest other) =>
        PiecesRoot.Span.SequenceEqual(other.PiecesRoot.Span)
        && (BaseLayer, Index, Length, ProofLayers) == (other.BaseLayer, other.Index, other.Length, other.ProofLayers);

    public override int GetHashCode() =>
        HashCode.Combine(PiecesRoot.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(PiecesRoot.Span) : 0, BaseLayer, Index, Length, ProofLayers);
}
