using Shoal.Primitives;

namespace Shoal.Metainfo;

/// <summary>
/// One <see cref="FilePriority"/> per entry of a torrent's file list, indexed as the info dictionary lists
/// the files, padding files included (as BEP 53 and libtorrent count them); padding files are never wanted
/// for themselves.
/// </summary>
public static class FilePriorities
{
    /// <summary>Every file at <see cref="FilePriority.Normal"/>.</summary>
    public static FilePriority[] All(Torrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return [.. torrent.Files.Select(_ => FilePriority.Normal)];
    }

    /// <summary>Throws unless there is one priority per file of <paramref name="torrent"/>, each a defined value.</summary>
    public static void Validate(Torrent torrent, IReadOnlyList<FilePriority> priorities)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(priorities);
        if (priorities.Count != torrent.Files.Count)
        {
            throw new ArgumentException($"{priorities.Count} priorities for a torrent of {torrent.Files.Count} files", nameof(priorities));
        }

        foreach (FilePriority priority in priorities)
        {
            if (!Enum.IsDefined(priority))
            {
                throw new ArgumentException($"{(int)priority} is not a file priority", nameof(priorities));
            }
        }
    }

    /// <summary>Whether a file with content is skipped; a padding file's priority says nothing.</summary>
    public static bool SkipsContent(Torrent torrent, IReadOnlyList<FilePriority> priorities)
    {
        Validate(torrent, priorities);
        for (int i = 0; i < priorities.Count; i++)
        {
            if (priorities[i] == FilePriority.Skip && !torrent.Files[i].IsPadding)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Each piece's priority: the highest of the content files it holds bytes of, so that a piece shared by a
    /// skipped and a wanted file is fetched whole.
    /// </summary>
    public static FilePriority[] OfPieces(Torrent torrent, IReadOnlyList<FilePriority> priorities)
    {
        Validate(torrent, priorities);
        var pieces = new FilePriority[torrent.PieceCount];
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            FileEntry file = torrent.Files[i];
            if (file.IsPadding || file.Length == 0 || priorities[i] == FilePriority.Skip)
            {
                continue;
            }

            int last = (int)((file.EndOffset - 1) / torrent.PieceLength);
            for (int piece = (int)(file.Offset / torrent.PieceLength); piece <= last; piece++)
            {
                pieces[piece] = (FilePriority)Math.Max((byte)pieces[piece], (byte)priorities[i]);
            }
        }

        return pieces;
    }

    /// <summary>BEP 53 select-only: the listed files at <see cref="FilePriority.Normal"/>, every other skipped; indices past the last file are ignored.</summary>
    public static FilePriority[] SelectOnly(Torrent torrent, IReadOnlyList<FileIndexRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(ranges);
        var priorities = new FilePriority[torrent.Files.Count];
        foreach (FileIndexRange range in ranges)
        {
            for (int i = range.First; i <= Math.Min(range.Last, priorities.Length - 1); i++)
            {
                priorities[i] = FilePriority.Normal;
            }
        }

        return priorities;
    }

    /// <summary>Bytes of the pieces <paramref name="piecePriorities"/> wants, and of those in <paramref name="have"/>.</summary>
    public static (long Wanted, long Verified) WantedBytes(Torrent torrent, IReadOnlyList<FilePriority> piecePriorities, PieceSet have)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(piecePriorities);
        ArgumentNullException.ThrowIfNull(have);
        long wanted = 0;
        long verified = 0;
        for (int piece = 0; piece < piecePriorities.Count; piece++)
        {
            if (piecePriorities[piece] != FilePriority.Skip)
            {
                int size = torrent.PieceSize(piece);
                wanted += size;
                verified += have[piece] ? size : 0;
            }
        }

        return (wanted, verified);
    }
}
