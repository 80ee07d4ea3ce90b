using System.Numerics;

namespace Shoal.Metainfo;

/// <summary>
/// The BEP 52 subtree of one piece: its 16 KiB blocks' leaf hashes up to the piece layer, the leaves past the end of
/// the file zero. A file of one piece or less is its own subtree, as wide as its blocks rounded up to a power of two.
/// </summary>
public static class PieceSubtree
{
    /// <summary>How many leaves the piece's subtree spans in a file of <paramref name="fileLength"/> bytes.</summary>
    public static int Width(long pieceLength, long fileLength) =>
        (int)Math.Min(pieceLength / MerkleTree.BlockSize, 1L << MerkleTree.LayerCount(fileLength));

    /// <summary>
    /// The node of the subtree at <paramref name="layer"/> above the leaves, <paramref name="index"/> counted from the
    /// piece's first leaf, hashed from <paramref name="leaves"/> (the piece's blocks, those past the file left out).
    /// </summary>
    public static byte[] Node(ReadOnlySpan<byte> leaves, int layer, int index)
    {
        int count = leaves.Length / MerkleTree.HashSize;
        int first = index << layer;
        if (first >= count)
        {
            return MerkleTree.PadHash(layer);
        }

        var node = new byte[MerkleTree.HashSize];
        int take = Math.Min(1 << layer, count - first);
        MerkleTree.ComputeRoot(leaves.Slice(first * MerkleTree.HashSize, take * MerkleTree.HashSize), 1 << layer, new byte[MerkleTree.HashSize], node);
        return node;
    }

    /// <summary>The piece's hash: the root of its subtree of <paramref name="width"/> leaves.</summary>
    public static byte[] Root(ReadOnlySpan<byte> leaves, int width) => Node(leaves, BitOperations.Log2((uint)width), 0);
}
