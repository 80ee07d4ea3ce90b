namespace Shoal.Metainfo.Creation;

/// <summary>
/// The content of a new torrent placed in the piece address space. v2 and hybrid torrents align
/// every non-empty file to a piece boundary with a padding entry after it (BEP 47, as libtorrent
/// does: the last file too); v1 torrents pack files back to back.
/// </summary>
public sealed class PieceLayout
{
    private PieceLayout(long pieceLength, IReadOnlyList<Segment> segments, int fileCount)
    {
        PieceLength = pieceLength;
        FileCount = fileCount;
        Segments = segments;
        SpaceSize = segments.Count == 0 ? 0 : segments[^1].EndOffset;
        PieceCount = checked((int)((SpaceSize + pieceLength - 1) / pieceLength));
    }

    public long PieceLength { get; }

    /// <summary>Files and padding in address order.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    public long SpaceSize { get; }

    /// <summary>How many files (padding not counted) the segments hold.</summary>
    public int FileCount { get; }

    public int PieceCount { get; }

    public static PieceLayout Build(IReadOnlyList<SourceFile> files, long pieceLength, bool alignFiles)
    {
        var segments = new List<Segment>(alignFiles ? files.Count * 2 : files.Count);
        long offset = 0;
        for (int i = 0; i < files.Count; i++)
        {
            SourceFile file = files[i];
            segments.Add(new Segment(i, file, offset, file.Length));
            offset += file.Length;
            long tail = offset % pieceLength;
            if (alignFiles && file.Length > 0 && tail != 0)
            {
                segments.Add(new Segment(-1, null, offset, pieceLength - tail));
                offset += pieceLength - tail;
            }
        }

        return new PieceLayout(pieceLength, segments, files.Count);
    }

    /// <summary>The index of the first segment that holds bytes at or after <paramref name="offset"/>.</summary>
    public int FirstSegmentAt(long offset)
    {
        int low = 0;
        int high = Segments.Count - 1;
        while (low < high)
        {
            int mid = (low + high) / 2;
            if (Segments[mid].EndOffset <= offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>A file (or, with a null <see cref="File"/>, padding) at a place in the piece address space.</summary>
    public sealed record Segment(int FileIndex, SourceFile? File, long Offset, long Length)
    {
        public long EndOffset => Offset + Length;

        public bool IsPadding => File is null;
    }
}
