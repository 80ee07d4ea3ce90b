using System.Collections.Concurrent;
using Shoal.Metainfo.Hashing;

namespace Shoal.Metainfo.Creation;

/// <summary>
/// Hashes new content on several cores, reading every byte once: each piece yields its SHA-1 (v1) and the
/// SHA-256 Merkle subtree of its 16 KiB blocks (v2) from the same buffer. Where the core can, sixteen
/// pieces go through the hash rounds together (<see cref="SixteenLanes"/>); other pieces one at a time.
/// </summary>
public static class PieceHasher
{
    private const long BytesPerWorkItem = 4 * 1024 * 1024;

    public static PieceHashes Hash(
        PieceLayout layout,
        TorrentVersion version,
        int threads,
        Action<long>? bytesHashed,
        CancellationToken cancellationToken) =>
        Hash(layout, version, threads, SixteenLanes.IsSupported, bytesHashed, cancellationToken);

    /// <summary>As above; <paramref name="useLanes"/> false hashes every piece on its own (tests compare the two).</summary>
    internal static PieceHashes Hash(
        PieceLayout layout,
        TorrentVersion version,
        int threads,
        bool useLanes,
        Action<long>? bytesHashed,
        CancellationToken cancellationToken)
    {
        var output = new PieceHashOutput(layout, version);

        // Work items are runs of consecutive pieces, so each core reads the content nearly in order, in whole batches.
        int piecesPerItem = (int)Math.Max(1, BytesPerWorkItem / layout.PieceLength);
        piecesPerItem = useLanes ? (piecesPerItem + SixteenLanes.Count - 1) / SixteenLanes.Count * SixteenLanes.Count : piecesPerItem;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        Parallel.ForEach(
            Partitioner.Create(0, layout.PieceCount, piecesPerItem),
            options,
            () => new PieceHashWorker(layout, output),
            (range, _, worker) =>
            {
                int piece = range.Item1;
                while (piece < range.Item2)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int batch = useLanes ? BatchAt(layout, version, piece, range.Item2) : 0;
                    batch = batch < SixteenLanes.FewestWorthUsing ? 1 : batch;
                    long contentBytes = batch == 1 ? worker.HashPiece(piece) : worker.HashSixteen(piece, batch, cancellationToken);
                    bytesHashed?.Invoke(contentBytes);
                    piece += batch;
                }

                return worker;
            },
            worker => worker.Dispose());
        return output.ToPieceHashes();
    }

    /// <summary>
    /// How many pieces from <paramref name="first"/> can share the sixteen lanes: full-length ones, and for v2
    /// ones wholly inside one file (a file's last piece hashes only the file's part for v2, BEP 52).
    /// </summary>
    private static int BatchAt(PieceLayout layout, TorrentVersion version, int first, int end)
    {
        int count = 0;
        while (count < SixteenLanes.Count && first + count < end && IsWhole(layout, version, first + count))
        {
            count++;
        }

        return count;
    }

    private static bool IsWhole(PieceLayout layout, TorrentVersion version, int piece)
    {
        long start = piece * layout.PieceLength;
        long end = start + layout.PieceLength;
        if (end > layout.SpaceSize)
        {
            return false;
        }

        if (!version.HasV2())
        {
            return true;
        }

        PieceLayout.Segment segment = layout.Segments[layout.FirstSegmentAt(start)];
        return segment.File is not null && segment.EndOffset >= end;
    }
}
