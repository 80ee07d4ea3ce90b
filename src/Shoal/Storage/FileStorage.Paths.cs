using Shoal.Metainfo;

namespace Shoal.Storage;

public sealed partial class FileStorage
{
    /// <summary>
    /// Where a download puts the torrent's files: a single file as <c>saveDirectory/Name</c>, a folder's files
    /// as <c>saveDirectory/Name/path</c>. No path can escape <paramref name="saveDirectory"/>. Padding
    /// files get an empty path.
    /// </summary>
    public static IReadOnlyList<string> PathsInDownloadFolder(Torrent torrent, string saveDirectory)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return torrent.IsMultiFile
            ? Resolve(torrent, PathSafety.ResolveUnder(saveDirectory, [torrent.Name]))
            : SingleFile(torrent, PathSafety.ResolveUnder(saveDirectory, [torrent.Name]));
    }

    /// <summary>
    /// Where the files are when the user names the content itself: the file of a single-file torrent, or the
    /// folder holding a multi-file torrent's files (whatever that folder is called). Padding files get an empty path.
    /// </summary>
    public static IReadOnlyList<string> PathsForContent(Torrent torrent, string contentPath)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return torrent.IsMultiFile
            ? Resolve(torrent, Path.GetFullPath(contentPath))
            : SingleFile(torrent, Path.GetFullPath(contentPath));
    }

    private static string[] Resolve(Torrent torrent, string folder) =>
        [.. torrent.Files.Select(f => f.IsPadding ? "" : PathSafety.ResolveUnder(folder, f.Path))];

    private static string[] SingleFile(Torrent torrent, string path) =>
        [.. torrent.Files.Select(f => f.IsPadding ? "" : path)];
}
