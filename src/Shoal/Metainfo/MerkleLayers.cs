using System.Numerics;

namespace Shoal.Metainfo;

/// <summary>
/// One file's BEP 52 Merkle tree from a known layer (usually its piece layer) up to its root: what a peer needs
/// to answer hash requests at that layer and above. Nodes past the end of the file are pad hashes and not stored.
/// </summary>
public sealed class MerkleLayers
{
    private readonly byte[][] _layers;
    private readonly byte[][] _pads;

    /// <param name="hashes">The known layer's hashes, concatenated, those past the end of the file left out.</param>
    /// <param name="baseLayer">How many layers above the leaves that layer is.</param>
    /// <param name="fileLength">The file's length, which sets the height of its tree.</param>
    public MerkleLayers(ReadOnlySpan<byte> hashes, int baseLayer, long fileLength)
    {
        RootLayer = MerkleTree.LayerCount(fileLength);
        int count = hashes.Length / MerkleTree.HashSize;
        if (hashes.Length % MerkleTree.HashSize != 0 || baseLayer < 0 || baseLayer > RootLayer || count == 0 || count > 1L << (RootLayer - baseLayer))
        {
            throw new ArgumentException($"{count} hashes at layer {baseLayer} do not fit a tree of {RootLayer} layers");
        }

        BaseLayer = baseLayer;
        _pads = new byte[RootLayer + 1][];
        _pads[0] = new byte[MerkleTree.HashSize];
        for (int layer = 1; layer <= RootLayer; layer++)
        {
            _pads[layer] = new byte[MerkleTree.HashSize];
            MerkleTree.HashPair(_pads[layer - 1], _pads[layer - 1], _pads[layer]);
        }

        _layers = new byte[RootLayer - baseLayer + 1][];
        _layers[0] = hashes.ToArray();
        for (int k = 1; k < _layers.Length; k++)
        {
            byte[] below = _layers[k - 1];
            int belowCount = below.Length / MerkleTree.HashSize;
            byte[] layer = new byte[(belowCount + 1) / 2 * MerkleTree.HashSize];
            for (int i = 0; i < layer.Length / MerkleTree.HashSize; i++)
            {
                MerkleTree.HashPair(Node(below, (2 * i), baseLayer + k - 1), Node(below, (2 * i) + 1, baseLayer + k - 1), layer.AsSpan(i * MerkleTree.HashSize, MerkleTree.HashSize));
            }

            _layers[k] = layer;
        }
    }

    public int BaseLayer { get; }

    /// <summary>The layer of the root: how many layers the tree has above its leaves.</summary>
    public int RootLayer { get; }

    public ReadOnlySpan<byte> Root => _layers[^1].AsSpan(0, MerkleTree.HashSize);

    /// <summary>How many hashes of <paramref name="layer"/> there are, pad hashes included.</summary>
    public long Width(int layer) => 1L << (RootLayer - layer);

    /// <summary>The hash at <paramref name="index"/> of <paramref name="layer"/>, a pad hash past the end of the file.</summary>
    public ReadOnlySpan<byte> Node(int layer, long index)
    {
        if (layer < BaseLayer || layer > RootLayer || index < 0 || index >= Width(layer))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"node {index} of layer {layer} is outside layers {BaseLayer} to {RootLayer}");
        }

        return Node(_layers[layer - BaseLayer], index, layer);
    }

    /// <summary>
    /// BEP 52 <c>hashes</c>: <paramref name="length"/> hashes of <paramref name="baseLayer"/> from <paramref name="index"/>,
    /// then the uncle hashes of the layers up to <paramref name="proofLayers"/> above it that the requested hashes do not
    /// already determine. False when this tree cannot answer: a layer below the one it holds, or a range or proof that
    /// does not fit the file's tree (libtorrent's checks).
    /// </summary>
    public bool TryGetHashes(int baseLayer, int index, int length, int proofLayers, out byte[] hashes)
    {
        hashes = [];
        if (!MerkleProof.Fits(RootLayer, baseLayer, index, length, proofLayers) || baseLayer < BaseLayer)
        {
            return false;
        }

        int uncles = MerkleProof.UncleCount(length, proofLayers);
        hashes = new byte[(length + uncles) * MerkleTree.HashSize];
        for (int i = 0; i < length; i++)
        {
            Node(baseLayer, index + i).CopyTo(hashes.AsSpan(i * MerkleTree.HashSize));
        }

        int first = BitOperations.Log2((uint)length);
        for (int u = 0; u < uncles; u++)
        {
            int layer = first + u;
            Node(baseLayer + layer, (index >> layer) ^ 1).CopyTo(hashes.AsSpan((length + u) * MerkleTree.HashSize));
        }

        return true;
    }

    private ReadOnlySpan<byte> Node(byte[] layer, long index, int layerNumber) =>
        index * MerkleTree.HashSize < layer.Length ? layer.AsSpan((int)index * MerkleTree.HashSize, MerkleTree.HashSize) : _pads[layerNumber];
}
