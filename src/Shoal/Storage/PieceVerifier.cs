using System.Buffers;
using System.Security.Cryptography;
using Shoal.Metainfo;

namespace Shoal.Storage;

/// <summary>
/// Checks a piece's bytes against the torrent: SHA-1 for v1 and hybrid torrents (BEP 3), the SHA-256
/// Merkle root of its 16 KiB blocks for v2-only torrents (BEP 52).
/// </summary>
public static class PieceVerifier
{
    private const int Sha1Length = 20;

    [ThreadStatic]
    private static IncrementalHash? t_sha1;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static readonly byte[] ZeroHash = new byte[MerkleTree.HashSize];

    /// <summary>
    /// Whether <paramref name="blocks"/>, one after another, are the piece's bytes. For a v2-only torrent
    /// opened without piece layers (from a magnet link), pieces of files larger than one piece cannot be
    /// checked yet and are false.
    /// </summary>
    public static bool Verify(Torrent torrent, int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) =>
        Judge(torrent, piece, blocks) == PieceVerdict.Passed;

    /// <summary>
    /// Checks <paramref name="blocks"/> against the piece's hashes: a hybrid piece against both its SHA-1 and, where its
    /// BEP 52 hash is known, its Merkle hash (BEP 52: both must match), which is <see cref="PieceVerdict.HalvesDisagree"/>
    /// when one matches and not the other.
    /// </summary>
    public static PieceVerdict Judge(Torrent torrent, int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(blocks);
        long length = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            length += blocks[i].Length;
        }

        if (length != torrent.PieceSize(piece))
        {
            return PieceVerdict.Failed;
        }

        if (!torrent.Version.HasV1())
        {
            return VerifyMerkle(torrent, piece, blocks) ? PieceVerdict.Passed : PieceVerdict.Failed;
        }

        IncrementalHash sha1 = t_sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        Span<byte> hash = stackalloc byte[Sha1Length];
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                sha1.AppendData(blocks[i].Span);
            }
        }
        finally
        {
            // Also on failure: the hash is reused by this thread's next call.
            sha1.GetHashAndReset(hash);
        }

        return JudgeV2Half(torrent, piece, blocks, hash.SequenceEqual(ExpectedSha1(torrent, piece)));
    }

    /// <summary>The verdict on a piece whose SHA-1 matched or not (<paramref name="v1"/>): for a hybrid, its BEP 52 half too.</summary>
    internal static PieceVerdict JudgeV2Half(Torrent torrent, int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks, bool v1)
    {
        if (V2BytesOfHybrid(torrent, piece) is not { } v2Bytes)
        {
            return v1 ? PieceVerdict.Passed : PieceVerdict.Failed;
        }

        bool v2 = VerifyMerkle(torrent, piece, FirstBytes(blocks, v2Bytes));
        return v1 == v2 ? (v1 ? PieceVerdict.Passed : PieceVerdict.Failed) : PieceVerdict.HalvesDisagree;
    }

    /// <summary>Whether <paramref name="data"/> is the piece's bytes.</summary>
    public static bool Verify(Torrent torrent, int piece, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        if (data.Length != torrent.PieceSize(piece))
        {
            return false;
        }

        if (torrent.Version.HasV1())
        {
            Span<byte> hash = stackalloc byte[Sha1Length];
            SHA1.HashData(data, hash);
            return hash.SequenceEqual(ExpectedSha1(torrent, piece))
                && (V2BytesOfHybrid(torrent, piece) is not { } v2Bytes || VerifyMerkleSpan(torrent, piece, data[..v2Bytes]));
        }

        return VerifyMerkleSpan(torrent, piece, data);
    }

    /// <summary>
    /// How many of a hybrid piece's bytes its BEP 52 hash covers (the file's, not the padding after it), when that hash
    /// is known: a file of one piece or less, or one whose piece layer we hold. Null for other torrents.
    /// </summary>
    private static int? V2BytesOfHybrid(Torrent torrent, int piece)
    {
        if (!torrent.Version.HasV2())
        {
            return null;
        }

        long offset = torrent.PieceOffset(piece);
        FileEntry file = torrent.FileAt(offset);
        bool known = file.PiecesRoot is { } root && (file.Length <= torrent.PieceLength || torrent.PieceLayers.ContainsKey(root));
        return known ? (int)Math.Min(torrent.PieceSize(piece), file.EndOffset - offset) : null;
    }

    private static List<ReadOnlyMemory<byte>> FirstBytes(IReadOnlyList<ReadOnlyMemory<byte>> blocks, int count)
    {
        var first = new List<ReadOnlyMemory<byte>>(blocks.Count);
        for (int i = 0; i < blocks.Count && count > 0; i++)
        {
            ReadOnlyMemory<byte> block = blocks[i][..Math.Min(count, blocks[i].Length)];
            first.Add(block);
            count -= block.Length;
        }

        return first;
    }

    private static bool VerifyMerkleSpan(Torrent torrent, int piece, ReadOnlySpan<byte> data)
    {
        byte[] leaves = RentLeaves(torrent);
        try
        {
            int count = HashLeaves(data, leaves);
            return MatchesPieceHash(torrent, piece, leaves.AsSpan(0, count * MerkleTree.HashSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(leaves);
        }
    }

    /// <summary>
    /// Reads a piece from <paramref name="storage"/> into <paramref name="scratch"/> (at least one piece long)
    /// and verifies it.
    /// </summary>
    public static bool VerifyPieceInStorage(Torrent torrent, IPieceStorage storage, int piece, byte[] scratch)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(scratch);
        Span<byte> data = scratch.AsSpan(0, torrent.PieceSize(piece));
        storage.Read(torrent.PieceOffset(piece), data);
        return Verify(torrent, piece, data);
    }

    internal static ReadOnlySpan<byte> ExpectedSha1(Torrent torrent, int piece) =>
        torrent.PieceHashesV1.Span.Slice(piece * Sha1Length, Sha1Length);

    private static byte[] RentLeaves(Torrent torrent) =>
        ArrayPool<byte>.Shared.Rent((int)(torrent.PieceLength / MerkleTree.BlockSize * MerkleTree.HashSize));

    private static int HashLeaves(ReadOnlySpan<byte> data, byte[] leaves)
    {
        int count = PieceGeometry.BlockCount(data.Length);
        for (int block = 0; block < count; block++)
        {
            int start = block * MerkleTree.BlockSize;
            SHA256.HashData(
                data.Slice(start, Math.Min(MerkleTree.BlockSize, data.Length - start)),
                leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        return count;
    }

    private static bool VerifyMerkle(Torrent torrent, int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        byte[] leaves = RentLeaves(torrent);
        try
        {
            int count = HashLeaves(blocks, leaves);
            return MatchesPieceHash(torrent, piece, leaves.AsSpan(0, count * MerkleTree.HashSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(leaves);
        }
    }

    // BEP 52: a piece's hash is the root of its blocks' subtree, leaves past the end of the file being zero
    // hashes. A file of one piece or less has no piece layer: its whole tree, as wide as its blocks rounded
    // up to a power of two, is the piece, and its root is the file's pieces root.
    private static bool MatchesPieceHash(Torrent torrent, int piece, ReadOnlySpan<byte> leaves)
    {
        long offset = torrent.PieceOffset(piece);
        FileEntry file = torrent.FileAt(offset);
        if (file.PiecesRoot is not { } piecesRoot)
        {
            return false;
        }

        int count = leaves.Length / MerkleTree.HashSize;
        Span<byte> root = stackalloc byte[MerkleTree.HashSize];
        if (file.Length <= torrent.PieceLength)
        {
            MerkleTree.ComputeRoot(leaves, MerkleTree.PaddedCount(count), ZeroHash, root);
            return root.SequenceEqual(piecesRoot.Span);
        }

        if (!torrent.PieceLayers.TryGetValue(piecesRoot, out ReadOnlyMemory<byte> layer))
        {
            return false;
        }

        long pieceInFile = (offset - file.Offset) / torrent.PieceLength;
        MerkleTree.ComputeRoot(leaves, (int)(torrent.PieceLength / MerkleTree.BlockSize), ZeroHash, root);
        return root.SequenceEqual(layer.Span.Slice((int)(pieceInFile * MerkleTree.HashSize), MerkleTree.HashSize));
    }

    // The buffers' boundaries need not fall on 16 KiB block boundaries.
    private static int HashLeaves(IReadOnlyList<ReadOnlyMemory<byte>> blocks, byte[] leaves)
    {
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int count = 0;
        int inLeaf = 0;
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                ReadOnlySpan<byte> span = blocks[i].Span;
                while (span.Length > 0)
                {
                    int take = Math.Min(span.Length, MerkleTree.BlockSize - inLeaf);
                    sha256.AppendData(span[..take]);
                    span = span[take..];
                    inLeaf += take;
                    if (inLeaf == MerkleTree.BlockSize)
                    {
                        sha256.GetHashAndReset(leaves.AsSpan(count++ * MerkleTree.HashSize, MerkleTree.HashSize));
                        inLeaf = 0;
                    }
                }
            }
        }
        finally
        {
            // A leaf left open (the last, short block, or data cut off by a failure) is finished here, so the
            // thread's hash starts clean next time.
            if (inLeaf > 0)
            {
                sha256.GetHashAndReset(leaves.AsSpan(count++ * MerkleTree.HashSize, MerkleTree.HashSize));
            }
        }

        return count;
    }
}
