using System.Numerics;

namespace Shoal.Metainfo;

/// <summary>
/// Checks BEP 52 <c>hashes</c> answers: a run of hashes from one layer of a file's tree and the uncle hashes above
/// them, hashed up to the file's pieces root.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// Whether a request fits a tree of <paramref name="rootLayer"/> layers: a power-of-two run at a multiple of its
    /// length inside the layer, below the root, with proof layers that stop below the root (as libtorrent checks).
    /// </summary>
    public static bool Fits(int rootLayer, int baseLayer, int index, int length, int proofLayers) =>
        baseLayer >= 0 && baseLayer < rootLayer
        && length > 0 && BitOperations.IsPow2(length) && index >= 0 && index % length == 0
        && index + (long)length <= 1L << (rootLayer - baseLayer)
        && proofLayers >= 0 && proofLayers < rootLayer - baseLayer;

    /// <summary>
    /// How many uncle hashes follow the base hashes (BEP 52): one per proof layer, but for the first log2(length) - 1
    /// layers, which the base hashes determine themselves.
    /// </summary>
    public static int UncleCount(int length, int proofLayers) => Math.Max(0, proofLayers - BitOperations.Log2((uint)length) + 1);

    /// <summary>The proof layers that take an answer at <paramref name="baseLayer"/> all the way to the root.</summary>
    public static int ProofLayersToRoot(int rootLayer, int baseLayer) => rootLayer - baseLayer - 1;

    /// <summary>
    /// Whether <paramref name="hashes"/> (base hashes, then uncles) answer the request and hash up to
    /// <paramref name="root"/>. The proof must reach the root: an answer that stops below it proves nothing here.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> root, int rootLayer, int baseLayer, int index, int length, int proofLayers, ReadOnlySpan<byte> hashes)
    {
        if (!Fits(rootLayer, baseLayer, index, length, proofLayers) || root.Length != MerkleTree.HashSize)
        {
            return false;
        }

        int uncles = UncleCount(length, proofLayers);
        int subtreeLayers = BitOperations.Log2((uint)length);
        if (hashes.Length != (length + uncles) * MerkleTree.HashSize || baseLayer + subtreeLayers + uncles != rootLayer)
        {
            return false;
        }

        Span<byte> node = stackalloc byte[MerkleTree.HashSize];
        MerkleTree.ComputeRoot(hashes[..(length * MerkleTree.HashSize)], length, MerkleTree.PadHash(0), node);
        for (int u = 0; u < uncles; u++)
        {
            ReadOnlySpan<byte> uncle = hashes.Slice((length + u) * MerkleTree.HashSize, MerkleTree.HashSize);
            bool isLeft = ((index >> (subtreeLayers + u)) & 1) == 0;
            if (isLeft)
            {
                MerkleTree.HashPair(node, uncle, node);
            }
            else
            {
                MerkleTree.HashPair(uncle, node, node);
            }
        }

        return node.SequenceEqual(root);
    }
}
