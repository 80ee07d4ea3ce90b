using Shoal.Primitives;

namespace Shoal.Metainfo;

/// <summary>Where pieces and blocks fall in a torrent's piece address space.</summary>
public static class PieceGeometry
{
    /// <summary>The request unit of the peer wire protocol (BEP 3: 16 KiB).</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>Where the piece address space ends (padding files included).</summary>
    public static long AddressSpaceLength(this Torrent torrent) => torrent.Files.Count == 0 ? 0 : torrent.Files[^1].EndOffset;

    public static long PieceOffset(this Torrent torrent, int piece) => piece * torrent.PieceLength;

    /// <summary>
    /// A piece's length: the piece length, except for the last piece of the torrent, and (BEP 52, v2-only
    /// torrents, where files are aligned to pieces without padding files) the last piece of each file.
    /// </summary>
    public static int PieceSize(this Torrent torrent, int piece)
    {
        if ((uint)piece >= (uint)torrent.PieceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(piece), piece, $"piece index outside 0..{torrent.PieceCount - 1}");
        }

        long start = torrent.PieceOffset(piece);
        long end = Math.Min(start + torrent.PieceLength, torrent.AddressSpaceLength());
        if (!torrent.Version.HasV1())
        {
            FileEntry file = torrent.FileAt(start);
            end = Math.Min(end, file.EndOffset);
        }

        return (int)(end - start);
    }

    /// <summary>The bytes of the pieces in <paramref name="pieces"/>.</summary>
    public static long BytesIn(this Torrent torrent, PieceSet pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        long bytes = 0;
        for (int piece = 0; piece < pieces.Length; piece++)
        {
            bytes += pieces[piece] ? torrent.PieceSize(piece) : 0;
        }

        return bytes;
    }

    /// <summary>The bytes of <paramref name="file"/> that lie in the pieces of <paramref name="pieces"/>.</summary>
    public static long BytesIn(this Torrent torrent, PieceSet pieces, FileEntry file)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length == 0)
        {
            return 0;
        }

        long bytes = 0;
        int last = (int)((file.EndOffset - 1) / torrent.PieceLength);
        for (int piece = (int)(file.Offset / torrent.PieceLength); piece <= last; piece++)
        {
            if (pieces[piece])
            {
                long start = torrent.PieceOffset(piece);
                bytes += Math.Min(file.EndOffset, start + torrent.PieceLength) - Math.Max(file.Offset, start);
            }
        }

        return bytes;
    }

    /// <summary>
    /// How far into a piece a peer may request. For v1 and hybrid torrents, the piece's size. For v2-only
    /// torrents, libtorrent pads every file to a piece boundary (BEP 52 aligns files; the last one too) and
    /// asks for whole 16 KiB blocks that reach into that padding: a piece's size rounded up to whole
    /// blocks, within the piece length. Bytes past a file's end read as zeros.
    /// </summary>
    public static int AlignedPieceSize(this Torrent torrent, int piece)
    {
        int size = torrent.PieceSize(piece);
        return torrent.Version.HasV1() ? size : (int)Math.Min(torrent.PieceLength, (long)BlockCount(size) * BlockSize);
    }

    public static int BlockCount(int pieceSize) => (pieceSize + BlockSize - 1) / BlockSize;

    /// <summary>The file whose bytes contain <paramref name="offset"/> (never an empty file).</summary>
    public static FileEntry FileAt(this Torrent torrent, long offset)
    {
        IReadOnlyList<FileEntry> files = torrent.Files;
        int low = 0;
        int high = files.Count - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (files[middle].Offset <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        while (low < files.Count - 1 && files[low].Length == 0)
        {
            low++;
        }

        return files[low];
    }
}
