using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Shoal.Metainfo.Creation;

/// <summary>
/// Hashes new content on several cores, reading every byte once: each piece is read into a pooled
/// buffer and yields its SHA-1 (v1) and the SHA-256 Merkle subtree of its 16 KiB blocks (v2) together.
/// </summary>
public static class PieceHasher
{
    private const int Sha1Length = 20;
    private const long BytesPerWorkItem = 4 * 1024 * 1024;
    private static readonly byte[] ZeroHash = new byte[MerkleTree.HashSize];

    public static PieceHashes Hash(
        PieceLayout layout,
        TorrentVersion version,
        int threads,
        Action<long>? bytesHashed,
        CancellationToken cancellationToken)
    {
        byte[]? v1Hashes = version.HasV1() ? new byte[layout.PieceCount * Sha1Length] : null;
        byte[]?[] v2Layers = new byte[]?[layout.FileCount];
        if (version.HasV2())
        {
            foreach (PieceLayout.Segment segment in layout.Segments.Where(s => s is { IsPadding: false, Length: > 0 }))
            {
                long pieces = (segment.Length + layout.PieceLength - 1) / layout.PieceLength;
                v2Layers[segment.FileIndex] = new byte[pieces * MerkleTree.HashSize];
            }
        }

        // Work items are runs of consecutive pieces, so each core reads the content nearly in order.
        int piecesPerItem = (int)Math.Max(1, BytesPerWorkItem / layout.PieceLength);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        Parallel.ForEach(
            Partitioner.Create(0, layout.PieceCount, piecesPerItem),
            options,
            () => new Worker(layout),
            (range, _, worker) =>
            {
                for (int piece = range.Item1; piece < range.Item2; piece++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    long contentBytes = worker.HashPiece(piece, v1Hashes, version.HasV2() ? v2Layers : null);
                    bytesHashed?.Invoke(contentBytes);
                }

                return worker;
            },
            worker => worker.Dispose());
        return new PieceHashes(v1Hashes ?? [], v2Layers);
    }

    /// <summary>One core's buffers and open file, kept across the pieces it hashes.</summary>
    private sealed class Worker(PieceLayout layout) : IDisposable
    {
        private readonly byte[] _piece = ArrayPool<byte>.Shared.Rent((int)Math.Min(layout.PieceLength, layout.SpaceSize));
        private readonly byte[] _leaves = ArrayPool<byte>.Shared.Rent((int)(layout.PieceLength / MerkleTree.BlockSize * MerkleTree.HashSize));
        private readonly SourceFileReader _reader = new();

        public long HashPiece(int piece, byte[]? v1Hashes, byte[]?[]? v2Layers)
        {
            long start = piece * layout.PieceLength;
            int length = (int)Math.Min(layout.PieceLength, layout.SpaceSize - start);
            long contentBytes = 0;
            long position = start;
            for (int index = layout.FirstSegmentAt(start); position < start + length; index++)
            {
                PieceLayout.Segment segment = layout.Segments[index];
                int take = (int)(Math.Min(segment.EndOffset, start + length) - position);
                if (take <= 0)
                {
                    continue;
                }

                Span<byte> data = _piece.AsSpan((int)(position - start), take);
                if (segment.File is null)
                {
                    data.Clear();
                }
                else
                {
                    long fileOffset = position - segment.Offset;
                    _reader.ReadExactly(segment.File, fileOffset, data);
                    contentBytes += take;
                    if (v2Layers?[segment.FileIndex] is { } layer)
                    {
                        int pieceInFile = (int)(fileOffset / layout.PieceLength);
                        HashBlocks(data, segment.Length, layer.AsSpan(pieceInFile * MerkleTree.HashSize, MerkleTree.HashSize));
                    }
                }

                position += take;
            }

            if (v1Hashes is not null)
            {
                SHA1.HashData(_piece.AsSpan(0, length), v1Hashes.AsSpan(piece * Sha1Length, Sha1Length));
            }

            return contentBytes;
        }

        public void Dispose()
        {
            _reader.Dispose();
            ArrayPool<byte>.Shared.Return(_piece);
            ArrayPool<byte>.Shared.Return(_leaves);
        }

        // BEP 52: a piece's hash is the root of its blocks' subtree; a file of one piece or less is its own tree.
        private void HashBlocks(ReadOnlySpan<byte> data, long fileLength, Span<byte> pieceHash)
        {
            int blocks = (data.Length + MerkleTree.BlockSize - 1) / MerkleTree.BlockSize;
            for (int block = 0; block < blocks; block++)
            {
                int offset = block * MerkleTree.BlockSize;
                ReadOnlySpan<byte> blockData = data.Slice(offset, Math.Min(MerkleTree.BlockSize, data.Length - offset));
                SHA256.HashData(blockData, _leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
            }

            int width = fileLength <= layout.PieceLength ? MerkleTree.PaddedCount(blocks) : (int)(layout.PieceLength / MerkleTree.BlockSize);
            MerkleTree.ComputeRoot(_leaves.AsSpan(0, blocks * MerkleTree.HashSize), width, ZeroHash, pieceHash);
        }
    }
}
