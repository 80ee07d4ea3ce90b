using Shoal.Metainfo;

namespace Shoal.Storage;

/// <summary>
/// A torrent's pieces in memory, for tests and in-memory swarms. Holds the whole piece address space;
/// padding and the gaps between v2 files stay zero because writes to them are dropped.
/// </summary>
public sealed class MemoryStorage : IPieceStorage
{
    private readonly Torrent _torrent;
    private readonly ContentMap _map;
    private readonly byte[] _bytes;

    /// <summary>Storage for <paramref name="torrent"/> holding zeros.</summary>
    public MemoryStorage(Torrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        _map = new ContentMap(torrent);
        if (_map.Length > Array.MaxLength)
        {
            throw new ArgumentException($"a torrent of {_map.Length} bytes does not fit in memory storage", nameof(torrent));
        }

        _torrent = torrent;
        _bytes = new byte[_map.Length];
    }

    /// <summary>The piece address space: content where the files are, zeros in padding and gaps.</summary>
    public ReadOnlySpan<byte> Contents => _bytes;

    /// <summary>
    /// Storage holding <paramref name="content"/>: the torrent's files back to back in torrent order, padding
    /// files left out (what concatenating the files on disk gives). Each file is placed at its offset.
    /// </summary>
    public static MemoryStorage WithContent(Torrent torrent, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        if (content.Length != torrent.TotalSize)
        {
            throw new ArgumentException($"{content.Length} bytes of content for a torrent of {torrent.TotalSize}", nameof(content));
        }

        var storage = new MemoryStorage(torrent);
        int position = 0;
        foreach (FileEntry file in torrent.ContentFiles)
        {
            content.Slice(position, (int)file.Length).CopyTo(storage._bytes.AsSpan((int)file.Offset));
            position += (int)file.Length;
        }

        return storage;
    }

    /// <summary>The bytes of one of the torrent's files.</summary>
    public ReadOnlySpan<byte> FileContents(int fileIndex)
    {
        FileEntry file = _torrent.Files[fileIndex];
        return file.IsPadding ? new byte[file.Length] : _bytes.AsSpan((int)file.Offset, (int)file.Length);
    }

    public void Read(long offset, Span<byte> destination)
    {
        _map.CheckRange(offset, destination.Length);
        _bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        long position = offset;
        for (int i = 0; i < buffers.Count; i++)
        {
            ReadOnlySpan<byte> buffer = buffers[i].Span;
            foreach (ContentMap.Segment segment in _map.Segments(position, buffer.Length))
            {
                if (!segment.IsGap)
                {
                    buffer.Slice((int)(segment.AddressOffset - position), segment.Length)
                        .CopyTo(_bytes.AsSpan((int)segment.AddressOffset));
                }
            }

            position += buffer.Length;
        }
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
