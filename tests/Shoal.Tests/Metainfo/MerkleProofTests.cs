using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;

namespace Shoal.Tests.Metainfo;

/// <summary>BEP 52 hashes answers built from a file's layers and checked against its pieces root, on trees of real data.</summary>
public class MerkleProofTests
{
    private const int Block = MerkleTree.BlockSize;
    private const long PieceLength = 4 * Block;
    private const int PieceLayer = 2;

    /// <summary>37 pieces and a bit (a last piece of two blocks, the second one short): 150 blocks in a tree of 256 leaves.</summary>
    private const int FileLength = (149 * Block) + 1000;

    [Fact]
    public async Task A_tree_from_the_piece_layer_has_the_torrents_root_and_the_leaves_tree_agrees()
    {
        (Torrent torrent, byte[] data) = await CreateAsync();
        FileEntry file = torrent.Files[0];
        ReadOnlyMemory<byte> pieceLayer = torrent.PieceLayers[file.PiecesRoot!.Value];

        var fromPieces = new MerkleLayers(pieceLayer.Span, PieceLayer, file.Length);
        var fromLeaves = new MerkleLayers(Leaves(data), 0, file.Length);

        Assert.Equal(8, fromPieces.RootLayer);
        Assert.Equal(file.PiecesRoot.Value.ToArray(), fromPieces.Root.ToArray());
        Assert.Equal(file.PiecesRoot.Value.ToArray(), fromLeaves.Root.ToArray());
        for (int piece = 0; piece < 64; piece++)
        {
            Assert.Equal(fromPieces.Node(PieceLayer, piece).ToArray(), fromLeaves.Node(PieceLayer, piece).ToArray());
        }

        Assert.Equal(MerkleTree.PadHash(PieceLayer), fromPieces.Node(PieceLayer, 63).ToArray());
    }

    [Theory]
    [InlineData(PieceLayer, 0, 64, 5)]   // the whole piece layer, as libtorrent asks a small file: no uncles
    [InlineData(PieceLayer, 32, 32, 5)]  // half of it and one uncle
    [InlineData(PieceLayer, 36, 2, 5)]   // the last real pieces and every uncle up to the root
    [InlineData(PieceLayer, 48, 16, 5)]  // pad hashes only, proven all the same
    [InlineData(0, 144, 4, 7)]           // leaves of one piece: what libtorrent asks after a piece fails
    [InlineData(0, 0, 256, 7)]
    [InlineData(5, 2, 2, 2)]
    public void Answers_verify_against_the_pieces_root(int baseLayer, int index, int length, int proofLayers)
    {
        (MerkleLayers tree, byte[] root) = LeafTree();

        Assert.True(tree.TryGetHashes(baseLayer, index, length, proofLayers, out byte[] hashes));
        Assert.Equal(length + MerkleProof.UncleCount(length, proofLayers), hashes.Length / 32);
        Assert.True(MerkleProof.Verify(root, tree.RootLayer, baseLayer, index, length, proofLayers, hashes));
        Assert.Equal(tree.Node(baseLayer, index).ToArray(), hashes[..32]);
    }

    [Fact]
    public void Any_changed_byte_of_an_answer_fails_it()
    {
        (MerkleLayers tree, byte[] root) = LeafTree();
        Assert.True(tree.TryGetHashes(PieceLayer, 32, 8, 5, out byte[] hashes));
        for (int i = 0; i < hashes.Length; i += 7)
        {
            byte[] bad = [.. hashes];
            bad[i] ^= 0x01;
            Assert.False(MerkleProof.Verify(root, tree.RootLayer, PieceLayer, 32, 8, 5, bad));
        }

        Assert.False(MerkleProof.Verify(root, tree.RootLayer, PieceLayer, 40, 8, 5, hashes));
        Assert.False(MerkleProof.Verify(root, tree.RootLayer, PieceLayer, 32, 8, 5, hashes.AsSpan(0, hashes.Length - 32)));
    }

    [Fact]
    public void An_answer_whose_proof_stops_below_the_root_proves_nothing()
    {
        (MerkleLayers tree, byte[] root) = LeafTree();
        Assert.True(tree.TryGetHashes(PieceLayer, 32, 8, 4, out byte[] hashes));
        Assert.False(MerkleProof.Verify(root, tree.RootLayer, PieceLayer, 32, 8, 4, hashes));
    }

    [Theory]
    [InlineData(PieceLayer, 0, 128, 5)]   // wider than the layer
    [InlineData(PieceLayer, 60, 8, 5)]    // past its end
    [InlineData(PieceLayer, 4, 8, 5)]     // not at a multiple of the length
    [InlineData(PieceLayer, 0, 6, 5)]     // not a power of two
    [InlineData(PieceLayer, 0, 8, 6)]     // proof layers up to the root itself
    [InlineData(8, 0, 1, 0)]              // the root's own layer
    [InlineData(1, 0, 2, 1)]              // below the layer the tree holds
    public async Task Requests_that_do_not_fit_the_tree_are_not_answered(int baseLayer, int index, int length, int proofLayers)
    {
        (Torrent torrent, _) = await CreateAsync();
        FileEntry file = torrent.Files[0];
        var tree = new MerkleLayers(torrent.PieceLayers[file.PiecesRoot!.Value].Span, PieceLayer, file.Length);

        Assert.False(tree.TryGetHashes(baseLayer, index, length, proofLayers, out _));
    }

    private static (MerkleLayers Tree, byte[] Root) LeafTree()
    {
        byte[] data = TempFolder.RandomBytes(FileLength, 52);
        var tree = new MerkleLayers(Leaves(data), 0, data.Length);
        return (tree, tree.Root.ToArray());
    }

    private static byte[] Leaves(byte[] data)
    {
        int blocks = (data.Length + Block - 1) / Block;
        var leaves = new byte[blocks * 32];
        for (int i = 0; i < blocks; i++)
        {
            SHA256.HashData(data.AsSpan(i * Block, Math.Min(Block, data.Length - (i * Block))), leaves.AsSpan(i * 32, 32));
        }

        return leaves;
    }

    private static async Task<(Torrent Torrent, byte[] Data)> CreateAsync()
    {
        using var folder = new TempFolder();
        byte[] data = TempFolder.RandomBytes(FileLength, 52);
        string path = folder.File("file.bin", data);
        CreatedTorrent created = await TorrentCreator.CreateAsync(
            path, new TorrentCreationOptions { Version = TorrentVersion.V2, PieceLength = PieceLength, CreationDate = null, HashingThreads = 1 });
        return (created.Torrent, data);
    }
}
