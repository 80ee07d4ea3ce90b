using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Session;

/// <summary>The user's priority for each file of one torrent (indexed as its file list, padding included), and what that makes of its pieces.</summary>
internal sealed class TorrentFileChoice
{
    private readonly Torrent _torrent;
    private FilePriority[] _files;

    public TorrentFileChoice(Torrent torrent, IReadOnlyList<FilePriority>? priorities)
    {
        _torrent = torrent;
        _files = Validated(priorities ?? FilePriorities.All(torrent));
        Pieces = FilePriorities.OfPieces(torrent, _files);
    }

    public IReadOnlyList<FilePriority> Files => _files;

    /// <summary>Each piece's priority: the highest of its files'.</summary>
    public FilePriority[] Pieces { get; private set; }

    public void Set(IReadOnlyList<FilePriority> priorities)
    {
        _files = Validated(priorities);
        Pieces = FilePriorities.OfPieces(_torrent, _files);
    }

    /// <summary>Bytes of the wanted pieces, and of those in <paramref name="have"/>.</summary>
    public (long Wanted, long Verified) WantedBytes(PieceSet have) => FilePriorities.WantedBytes(_torrent, Pieces, have);

    private FilePriority[] Validated(IReadOnlyList<FilePriority> priorities)
    {
        FilePriorities.Validate(_torrent, priorities);
        FilePriority[] copy = [.. priorities];
        for (int i = 0; i < copy.Length; i++)
        {
            // Padding is never fetched for itself; its priority says nothing.
            copy[i] = _torrent.Files[i].IsPadding ? FilePriority.Skip : copy[i];
        }

        return copy;
    }
}
