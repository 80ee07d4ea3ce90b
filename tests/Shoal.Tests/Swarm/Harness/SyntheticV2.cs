using System.Security.Cryptography;
using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>Turns a synthetic torrent into a v2-only one over the same content: its pieces root and piece layer from real hashes.</summary>
internal static class SyntheticV2
{
    public static readonly InfoHash InfoHash = new(Enumerable.Repeat((byte)0xbb, InfoHash.V2Length).ToArray());

    public static Torrent Create(Torrent torrent, byte[] content)
    {
        var tree = new MerkleLayers(Leaves(content), 0, content.Length);
        int pieceLayer = MerkleTree.PieceLayer(torrent.PieceLength);
        byte[] layer = [.. Enumerable.Range(0, torrent.PieceCount).SelectMany(i => tree.Node(pieceLayer, i).ToArray())];
        byte[] root = tree.Root.ToArray();
        return torrent with
        {
            Version = TorrentVersion.V2,
            InfoHashes = new InfoHashes(null, InfoHash),
            PieceHashesV1 = default,
            Files = [torrent.Files[0] with { PiecesRoot = root }],
            PieceLayers = new Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>(ByteMemoryComparer.Instance) { [root] = layer },
        };
    }

    public static byte[] Leaves(ReadOnlySpan<byte> content)
    {
        int blocks = (content.Length + MerkleTree.BlockSize - 1) / MerkleTree.BlockSize;
        var leaves = new byte[blocks * MerkleTree.HashSize];
        for (int i = 0; i < blocks; i++)
        {
            int start = i * MerkleTree.BlockSize;
            SHA256.HashData(content.Slice(start, Math.Min(MerkleTree.BlockSize, content.Length - start)), leaves.AsSpan(i * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        return leaves;
    }
}
