namespace Shoal.Metainfo;

/// <summary>Rejects torrents where two files share a path, or a file's path is also used as a folder.</summary>
internal static class FilePathConflicts
{
    public static void Check(IReadOnlyList<FileEntry> files)
    {
        var filePaths = new HashSet<string>(StringComparer.Ordinal);
        var folderPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (FileEntry file in files)
        {
            if (file.IsPadding)
            {
                continue;
            }

            // Components hold no '/' (PathSafety), so every '/' in the joined path ends a folder.
            string path = file.DisplayPath;
            if (!filePaths.Add(path) || folderPaths.Contains(path))
            {
                throw new MetainfoException($"the path '{path}' is used by more than one entry");
            }

            for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
            {
                string folder = path[..slash];
                if (!folderPaths.Add(folder))
                {
                    continue;
                }

                if (filePaths.Contains(folder))
                {
                    throw new MetainfoException($"the path '{folder}' is used as a file and as a folder");
                }
            }
        }
    }
}
