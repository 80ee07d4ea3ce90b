using System.Buffers;
using System.Security.Cryptography;
using Shoal.Metainfo.Hashing;

namespace Shoal.Metainfo.Creation;

/// <summary>One core's buffers, hashers and open file, kept across the pieces it hashes.</summary>
internal sealed class PieceHashWorker(PieceLayout layout, PieceHashOutput output) : IDisposable
{
    /// <summary>Bytes of each of the sixteen pieces read per step: the stripe (16 of them) stays in the core's L2 cache.</summary>
    private const int MaxChunk = 128 * 1024;

    private static readonly byte[] ZeroHash = new byte[MerkleTree.HashSize];

    private readonly SourceFileReader _reader = new();
    private readonly int _blocksPerPiece = (int)(layout.PieceLength / MerkleTree.BlockSize);
    private byte[]? _piece;
    private byte[]? _leaves;
    private Lanes? _lanes;

    /// <summary>Hashes one piece on its own; returns the content (not padding) bytes it holds.</summary>
    public long HashPiece(int piece)
    {
        long start = piece * layout.PieceLength;
        int length = (int)Math.Min(layout.PieceLength, layout.SpaceSize - start);
        _piece ??= ArrayPool<byte>.Shared.Rent((int)Math.Min(layout.PieceLength, layout.SpaceSize));
        Span<byte> data = _piece.AsSpan(0, length);
        long contentBytes = Read(start, data, hashV2: true);
        if (output.V1 is not null)
        {
            SHA1.HashData(data, output.V1Slot(piece));
        }

        return contentBytes;
    }

    /// <summary>
    /// Hashes <paramref name="count"/> (at most 16) whole consecutive pieces together, a chunk of each at a time:
    /// SHA-1 with a lane per piece, SHA-256 with a lane per 16 KiB block.
    /// </summary>
    public long HashSixteen(int first, int count, CancellationToken cancellationToken)
    {
        int chunk = (int)long.Min(MaxChunk, layout.PieceLength & -layout.PieceLength);
        _lanes ??= new Lanes(chunk, _blocksPerPiece);
        byte[] stripe = _lanes.Stripe;
        _lanes.Sha1.Reset();
        long contentBytes = 0;
        for (long at = 0; at < layout.PieceLength; at += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int lane = 0; lane < count; lane++)
            {
                contentBytes += Read(((first + lane) * layout.PieceLength) + at, stripe.AsSpan(lane * chunk, chunk), hashV2: false);
            }

            if (output.V1 is not null)
            {
                _lanes.Sha1.Update(stripe, chunk, chunk);
            }

            if (output.HasV2)
            {
                HashStripeBlocks(chunk, (int)(at / MerkleTree.BlockSize), count);
            }
        }

        if (output.V1 is not null)
        {
            _lanes.Sha1.Finish(_lanes.Digests);
            for (int lane = 0; lane < count; lane++)
            {
                _lanes.Digests.AsSpan(lane * Sha1x16.HashSize, Sha1x16.HashSize).CopyTo(output.V1Slot(first + lane));
            }
        }

        for (int lane = 0; lane < count && output.HasV2; lane++)
        {
            long start = (first + lane) * layout.PieceLength;
            PieceLayout.Segment segment = layout.Segments[layout.FirstSegmentAt(start)];
            int leavesLength = _blocksPerPiece * MerkleTree.HashSize;
            MerkleTree.ComputeRoot(
                _lanes.Leaves.AsSpan(lane * leavesLength, leavesLength),
                _blocksPerPiece,
                ZeroHash,
                output.V2Slot(segment.FileIndex, start - segment.Offset, layout.PieceLength));
        }

        return contentBytes;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _lanes?.Dispose();
        foreach (byte[]? rented in new[] { _piece, _leaves })
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The leaf hashes of the stripe's 16 KiB blocks, a lane per block, into each piece's leaves.</summary>
    private void HashStripeBlocks(int chunk, int firstBlock, int count)
    {
        Lanes lanes = _lanes!;
        for (int block = 0; block < chunk / MerkleTree.BlockSize; block++)
        {
            lanes.Sha256.Reset();
            lanes.Sha256.Update(lanes.Stripe.AsSpan(block * MerkleTree.BlockSize), chunk, MerkleTree.BlockSize);
            lanes.Sha256.Finish(lanes.Digests);
            for (int lane = 0; lane < count; lane++)
            {
                int leaf = (lane * _blocksPerPiece) + firstBlock + block;
                lanes.Digests.AsSpan(lane * MerkleTree.HashSize, MerkleTree.HashSize).CopyTo(lanes.Leaves.AsSpan(leaf * MerkleTree.HashSize));
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="data"/> from the piece address space at <paramref name="start"/> (padding reads as
    /// zeros) and, with <paramref name="hashV2"/>, hashes each file's part into its piece layer; returns the content bytes.
    /// </summary>
    private long Read(long start, Span<byte> data, bool hashV2)
    {
        long contentBytes = 0;
        long position = start;
        long end = start + data.Length;
        for (int index = layout.FirstSegmentAt(start); position < end; index++)
        {
            PieceLayout.Segment segment = layout.Segments[index];
            int take = (int)(Math.Min(segment.EndOffset, end) - position);
            if (take <= 0)
            {
                continue;
            }

            Span<byte> part = data.Slice((int)(position - start), take);
            if (segment.File is null)
            {
                part.Clear();
            }
            else
            {
                long fileOffset = position - segment.Offset;
                _reader.ReadExactly(segment.File, fileOffset, part);
                contentBytes += take;
                Span<byte> slot = hashV2 ? output.V2Slot(segment.FileIndex, fileOffset, layout.PieceLength) : [];
                if (!slot.IsEmpty)
                {
                    HashBlocks(part, segment.Length, slot);
                }
            }

            position += take;
        }

        return contentBytes;
    }

    // BEP 52: a piece's hash is the root of its blocks' subtree; a file of one piece or less is its own tree.
    private void HashBlocks(ReadOnlySpan<byte> data, long fileLength, Span<byte> pieceHash)
    {
        _leaves ??= ArrayPool<byte>.Shared.Rent(_blocksPerPiece * MerkleTree.HashSize);
        int blocks = (data.Length + MerkleTree.BlockSize - 1) / MerkleTree.BlockSize;
        for (int block = 0; block < blocks; block++)
        {
            int offset = block * MerkleTree.BlockSize;
            ReadOnlySpan<byte> blockData = data.Slice(offset, Math.Min(MerkleTree.BlockSize, data.Length - offset));
            SHA256.HashData(blockData, _leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        int width = fileLength <= layout.PieceLength ? MerkleTree.PaddedCount(blocks) : _blocksPerPiece;
        MerkleTree.ComputeRoot(_leaves.AsSpan(0, blocks * MerkleTree.HashSize), width, ZeroHash, pieceHash);
    }

    /// <summary>The sixteen-lane hashers and their buffers: a stripe of a chunk of each piece, and the pieces' leaf hashes.</summary>
    private sealed class Lanes(int chunk, int blocksPerPiece) : IDisposable
    {
        public byte[] Stripe { get; } = ArrayPool<byte>.Shared.Rent(SixteenLanes.Count * chunk);

        public byte[] Leaves { get; } = ArrayPool<byte>.Shared.Rent(SixteenLanes.Count * blocksPerPiece * MerkleTree.HashSize);

        public byte[] Digests { get; } = new byte[SixteenLanes.Count * MerkleTree.HashSize];

        public SixteenLaneHasher<Sha1x16, Sha1x16.State> Sha1 { get; } = new();

        public SixteenLaneHasher<Sha256x16, Sha256x16.State> Sha256 { get; } = new();

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Stripe);
            ArrayPool<byte>.Shared.Return(Leaves);
        }
    }
}
