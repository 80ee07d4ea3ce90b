using System.IO.Enumeration;

namespace Shoal.Metainfo.Creation;

/// <summary>
/// Finds the files a torrent is made of. Like libtorrent: hidden files are included, empty folders
/// leave no trace, empty files stay. Links to files are followed; links to folders are not (they may loop).
/// </summary>
public static class ContentScanner
{
    public static ContentSource Scan(string path)
    {
        string fullPath = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        if (fullPath.Length == 0)
        {
            throw new TorrentCreationException("cannot share the root folder");
        }

        string name = Path.GetFileName(fullPath);
        CheckName(name, [name]);
        if (File.Exists(fullPath))
        {
            var single = new FileInfo(fullPath);
            return new ContentSource(name, false, [new SourceFile(fullPath, [name], single.Length, IsExecutable(single))]);
        }

        if (!Directory.Exists(fullPath))
        {
            throw new TorrentCreationException($"{path}: no such file or folder");
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        var entries = new FileSystemEnumerable<string>(fullPath, (ref entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory,
            ShouldRecursePredicate = (ref entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        var files = new List<SourceFile>();
        try
        {
            foreach (string file in entries)
            {
                var info = new FileInfo(file);
                if ((info.LinkTarget is null ? info : info.ResolveLinkTarget(true)) is not FileInfo { Exists: true } target)
                {
                    continue;
                }

                string[] relative = Path.GetRelativePath(fullPath, file).Split(Path.DirectorySeparatorChar);
                foreach (string component in relative)
                {
                    CheckName(component, relative);
                }

                files.Add(new SourceFile(file, relative, target.Length, IsExecutable(target)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorrentCreationException($"cannot read the folder {path}: {e.Message}", e);
        }

        files.Sort((a, b) => PathComponentComparer.Instance.Compare(a.RelativePath, b.RelativePath));
        return new ContentSource(name, true, files);
    }

    private static bool IsExecutable(FileInfo file) =>
        !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    private static void CheckName(string component, string[] path)
    {
        if (PathSafety.FindProblem(component) is { } problem)
        {
            throw new TorrentCreationException($"cannot share '{string.Join('/', path)}': {problem}");
        }
    }
}
