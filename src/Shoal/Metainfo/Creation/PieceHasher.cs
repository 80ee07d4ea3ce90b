using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

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
        bool v1,
        bool v2,
        int threads,
        Action<long>? bytesHashed,
        CancellationToken cancellationToken)
    {
        byte[] v1Hashes = v1 ? new byte[layout.PieceCount * Sha1Length] : [];
        byte[]?[] v2Layers = new byte[]?[layout.Segments.Count(s => !s.IsPadding)];
        if (v2)
        {
            foreach (PieceLayout.Segment segment in layout.Segments.Where(s => s is { IsPadding: false, Length: > 0 }))
            {
                long pieces = (segment.Length + layout.PieceLength - 1) / layout.PieceLength;
                v2Layers[segment.FileIndex] = new byte[pieces * MerkleTree.HashSize];
            }
        }

        int piecesPerItem = (int)Math.Max(1, BytesPerWorkItem / layout.PieceLength);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        int bufferLength = (int)Math.Min(layout.PieceLength, layout.SpaceSize);
        Parallel.ForEach(
            Partitioner.Create(0, layout.PieceCount, piecesPerItem),
            options,
            () => ArrayPool<byte>.Shared.Rent(bufferLength),
            (range, _, buffer) =>
            {
                for (int piece = range.Item1; piece < range.Item2; piece++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    long contentBytes = HashPiece(layout, piece, buffer, v1 ? v1Hashes : null, v2 ? v2Layers : null);
                    bytesHashed?.Invoke(contentBytes);
                }

                return buffer;
            },
            buffer => ArrayPool<byte>.Shared.Return(buffer));
        return new PieceHashes(v1Hashes, v2Layers);
    }

    private static long HashPiece(PieceLayout layout, int piece, byte[] buffer, byte[]? v1Hashes, byte[]?[]? v2Layers)
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

            Span<byte> data = buffer.AsSpan((int)(position - start), take);
            if (segment.File is null)
            {
                data.Clear();
            }
            else
            {
                long fileOffset = position - segment.Offset;
                ReadExactly(segment.File, fileOffset, data);
                contentBytes += take;
                if (v2Layers?[segment.FileIndex] is { } layer)
                {
                    HashBlocks(data, segment.Length, layout.PieceLength, layer.AsSpan((int)(fileOffset / layout.PieceLength) * MerkleTree.HashSize, MerkleTree.HashSize));
                }
            }

            position += take;
        }

        if (v1Hashes is not null)
        {
            SHA1.HashData(buffer.AsSpan(0, length), v1Hashes.AsSpan(piece * Sha1Length, Sha1Length));
        }

        return contentBytes;
    }

    // BEP 52: a piece's hash is the root of its blocks' subtree; a file of one piece or less is its own tree.
    private static void HashBlocks(ReadOnlySpan<byte> data, long fileLength, long pieceLength, Span<byte> pieceHash)
    {
        int blocks = (int)((data.Length + MerkleTree.BlockSize - 1) / MerkleTree.BlockSize);
        byte[] leaves = ArrayPool<byte>.Shared.Rent(blocks * MerkleTree.HashSize);
        try
        {
            for (int block = 0; block < blocks; block++)
            {
                int offset = block * MerkleTree.BlockSize;
                ReadOnlySpan<byte> blockData = data.Slice(offset, Math.Min(MerkleTree.BlockSize, data.Length - offset));
                SHA256.HashData(blockData, leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
            }

            int width = fileLength <= pieceLength ? MerkleTree.PaddedCount(blocks) : (int)(pieceLength / MerkleTree.BlockSize);
            MerkleTree.ComputeRoot(leaves.AsSpan(0, blocks * MerkleTree.HashSize), width, ZeroHash, pieceHash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(leaves);
        }
    }

    private static void ReadExactly(SourceFile file, long offset, Span<byte> destination)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(handle, destination, offset);
                if (read == 0)
                {
                    throw new TorrentCreationException($"{file.FullPath} got shorter while it was being hashed");
                }

                destination = destination[read..];
                offset += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorrentCreationException($"cannot read {file.FullPath}: {e.Message}", e);
        }
    }
}
