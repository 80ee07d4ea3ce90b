using Shoal.Metainfo;

namespace Shoal.Storage;

/// <summary>
/// Where a torrent's content files lie in the piece address space. Padding files, empty files and the
/// gaps between aligned v2 files are not content: a range splits into file segments and gaps.
/// </summary>
internal sealed class ContentMap
{
    private readonly int[] _fileIndexes;
    private readonly long[] _starts;
    private readonly long[] _ends;

    public ContentMap(Torrent torrent)
    {
        List<int> indexes = [];
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            if (torrent.Files[i] is { IsPadding: false, Length: > 0 })
            {
                indexes.Add(i);
            }
        }

        _fileIndexes = [.. indexes];
        _starts = [.. indexes.Select(i => torrent.Files[i].Offset)];
        _ends = [.. indexes.Select(i => torrent.Files[i].EndOffset)];
        Length = torrent.AddressSpaceLength();
    }

    /// <summary>Where the piece address space ends.</summary>
    public long Length { get; }

    /// <summary>Throws unless [offset, offset + length) lies in the piece address space.</summary>
    public void CheckRange(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset),
                offset,
                $"the range of {length} bytes at {offset} is outside the torrent's {Length} bytes");
        }
    }

    /// <summary>The file segments and gaps that make up [offset, offset + length), in order.</summary>
    public SegmentEnumerator Segments(long offset, long length)
    {
        CheckRange(offset, length);
        return new SegmentEnumerator(this, offset, offset + length);
    }

    // The first file that ends after the offset; files are sorted and do not overlap.
    private int FirstEndingAfter(long offset)
    {
        int index = Array.BinarySearch(_ends, offset);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>A run of the address space inside one content file, or (<see cref="FileIndex"/> -1) outside every file.</summary>
    public readonly record struct Segment(int FileIndex, long FileOffset, long AddressOffset, int Length)
    {
        public bool IsGap => FileIndex < 0;
    }

    /// <summary>Enumerates segments without allocating.</summary>
    public ref struct SegmentEnumerator
    {
        private readonly ContentMap _map;
        private readonly long _end;
        private long _position;
        private int _next;

        internal SegmentEnumerator(ContentMap map, long start, long end)
        {
            _map = map;
            _position = start;
            _end = end;
            _next = map.FirstEndingAfter(start);
        }

        public Segment Current { get; private set; }

        public readonly SegmentEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_position >= _end)
            {
                return false;
            }

            long start = _next < _map._starts.Length ? _map._starts[_next] : long.MaxValue;
            if (start > _position)
            {
                long gapEnd = Math.Min(start, _end);
                Current = new Segment(-1, 0, _position, checked((int)(gapEnd - _position)));
                _position = gapEnd;
                return true;
            }

            long end = Math.Min(_map._ends[_next], _end);
            Current = new Segment(_map._fileIndexes[_next], _position - start, _position, checked((int)(end - _position)));
            _position = end;
            _next++;
            return true;
        }
    }
}
