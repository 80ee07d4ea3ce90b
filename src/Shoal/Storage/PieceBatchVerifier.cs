using System.Runtime.InteropServices;
using Shoal.Metainfo;
using Shoal.Metainfo.Hashing;

namespace Shoal.Storage;

/// <summary>
/// Checks up to sixteen received pieces of a torrent with SHA-1 piece hashes at once: their SHA-1s go through the rounds
/// together, one AVX-512 lane per piece (<see cref="SixteenLanes"/>), read from the blocks where they were received (no
/// copy into one buffer); a batch pays from <see cref="MinPieces"/> pieces (<see cref="SixteenLanes.FewestWorthUsing"/>). A hybrid's BEP 52 half is then
/// checked one piece at a time, as <see cref="PieceVerifier.Judge"/> does.
/// </summary>
internal sealed class PieceBatchVerifier
{
    public const int MaxPieces = SixteenLanes.Count;

    public const int MinPieces = SixteenLanes.FewestWorthUsing;

    private readonly SixteenLaneHasher<Sha1x16, Sha1x16.State> _sha1 = new();
    private readonly byte[][] _arrays = new byte[SixteenLanes.Count][];
    private readonly int[] _offsets = new int[SixteenLanes.Count];
    private readonly byte[] _digests = new byte[SixteenLanes.Count * Sha1x16.HashSize];

    public static bool IsSupported => SixteenLanes.IsSupported;

    /// <summary>
    /// Whether the piece can share lanes with pieces laid out like <paramref name="layout"/> (the batch's first, or itself):
    /// a SHA-1 hash, the whole piece length, and blocks in arrays, of the same lengths, each whole 64-byte hash blocks.
    /// </summary>
    public static bool Fits(Torrent torrent, int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks, IReadOnlyList<ReadOnlyMemory<byte>> layout)
    {
        if (!torrent.Version.HasV1() || torrent.PieceSize(piece) != torrent.PieceLength || blocks.Count != layout.Count)
        {
            return false;
        }

        long length = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            int size = blocks[i].Length;
            if (size != layout[i].Length || size % SixteenLanes.BlockSize != 0 || !MemoryMarshal.TryGetArray(blocks[i], out ArraySegment<byte> _))
            {
                return false;
            }

            length += size;
        }

        return length == torrent.PieceLength;
    }

    /// <summary>Judges the pieces of <paramref name="batch"/> (at most sixteen, each <see cref="Fits"/> the first) into <paramref name="verdicts"/>.</summary>
    public void Judge(Torrent torrent, IReadOnlyList<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> batch, Span<PieceVerdict> verdicts)
    {
        if (batch.Count is 0 or > MaxPieces || verdicts.Length < batch.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), "one to sixteen pieces, a verdict for each");
        }

        _sha1.Reset();
        IReadOnlyList<ReadOnlyMemory<byte>> layout = batch[0].Blocks;
        for (int block = 0; block < layout.Count; block++)
        {
            // Lanes past the batch hash the first piece again; their digests are not read.
            for (int lane = 0; lane < SixteenLanes.Count; lane++)
            {
                MemoryMarshal.TryGetArray(batch[lane < batch.Count ? lane : 0].Blocks[block], out ArraySegment<byte> segment);
                _arrays[lane] = segment.Array!;
                _offsets[lane] = segment.Offset;
            }

            _sha1.Update(_arrays, _offsets, layout[block].Length);
        }

        _sha1.Finish(_digests);
        Array.Clear(_arrays);
        for (int lane = 0; lane < batch.Count; lane++)
        {
            (int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) = batch[lane];
            bool v1 = _digests.AsSpan(lane * Sha1x16.HashSize, Sha1x16.HashSize).SequenceEqual(PieceVerifier.ExpectedSha1(torrent, piece));
            verdicts[lane] = PieceVerifier.JudgeV2Half(torrent, piece, blocks, v1);
        }
    }
}
