using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace Shoal.Metainfo;

/// <summary>BEP 52 SHA-256 Merkle trees: 16 KiB leaves, padded with zero hashes up to a power of two.</summary>
public static class MerkleTree
{
    public const int BlockSize = 16 * 1024;
    public const int HashSize = 32;

    /// <summary>The number of leaves a tree over <paramref name="count"/> hashes is padded to.</summary>
    public static int PaddedCount(long count) => count <= 1 ? 1 : checked((int)BitOperations.RoundUpToPowerOf2((ulong)count));

    /// <summary>How many layers a file's tree has above its leaves: its root is at this layer.</summary>
    public static int LayerCount(long fileLength) => BitOperations.Log2((ulong)PaddedCount((fileLength + BlockSize - 1) / BlockSize));

    /// <summary>The layer whose hashes each cover one piece of <paramref name="pieceLength"/> bytes.</summary>
    public static int PieceLayer(long pieceLength) => BitOperations.Log2((ulong)(pieceLength / BlockSize));

    /// <summary>The parent of two nodes: SHA-256 of the left then the right.</summary>
    public static void HashPair(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> parent)
    {
        Span<byte> pair = stackalloc byte[HashSize * 2];
        left.CopyTo(pair);
        right.CopyTo(pair[HashSize..]);
        SHA256.HashData(pair, parent);
    }

    /// <summary>The root of a subtree of 2^<paramref name="level"/> all-zero leaf hashes.</summary>
    public static byte[] PadHash(int level)
    {
        var hash = new byte[HashSize];
        Span<byte> pair = stackalloc byte[HashSize * 2];
        for (int i = 0; i < level; i++)
        {
            hash.CopyTo(pair);
            hash.CopyTo(pair[HashSize..]);
            SHA256.HashData(pair, hash);
        }

        return hash;
    }

    /// <summary>
    /// Hashes <paramref name="hashes"/> (concatenated 32-byte nodes of one layer) up to the root of a tree
    /// <paramref name="paddedCount"/> nodes wide, nodes past the end being <paramref name="padHash"/>.
    /// </summary>
    public static void ComputeRoot(ReadOnlySpan<byte> hashes, int paddedCount, ReadOnlySpan<byte> padHash, Span<byte> root)
    {
        int count = hashes.Length / HashSize;
        if (hashes.Length % HashSize != 0 || count == 0 || count > paddedCount || !BitOperations.IsPow2(paddedCount))
        {
            throw new ArgumentException("a layer of 1 to paddedCount 32-byte hashes, paddedCount a power of two");
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent(hashes.Length);
        try
        {
            hashes.CopyTo(scratch);
            Span<byte> pad = stackalloc byte[HashSize];
            padHash.CopyTo(pad);
            Span<byte> pair = stackalloc byte[HashSize * 2];
            for (int width = paddedCount; width > 1; width /= 2)
            {
                int next = (count + 1) / 2;
                for (int i = 0; i < next; i++)
                {
                    scratch.AsSpan(2 * i * HashSize, HashSize).CopyTo(pair);
                    ReadOnlySpan<byte> right = (2 * i) + 1 < count ? scratch.AsSpan(((2 * i) + 1) * HashSize, HashSize) : pad;
                    right.CopyTo(pair[HashSize..]);
                    SHA256.HashData(pair, scratch.AsSpan(i * HashSize, HashSize));
                }

                pad.CopyTo(pair);
                pad.CopyTo(pair[HashSize..]);
                SHA256.HashData(pair, pad);
                count = next;
            }

            scratch.AsSpan(0, HashSize).CopyTo(root);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The pieces root of a file from its piece layer (one hash per <paramref name="pieceLength"/> bytes).
    /// </summary>
    public static byte[] RootFromPieceLayer(ReadOnlySpan<byte> pieceLayer, long pieceLength)
    {
        int levelsPerPiece = BitOperations.Log2((ulong)(pieceLength / BlockSize));
        var root = new byte[HashSize];
        ComputeRoot(pieceLayer, PaddedCount(pieceLayer.Length / HashSize), PadHash(levelsPerPiece), root);
        return root;
    }
}
