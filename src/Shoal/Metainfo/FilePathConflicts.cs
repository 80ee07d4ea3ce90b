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

            string path = file.DisplayPath;
            if (!filePaths.Add(path) || folderPaths.Contains(path))
            {
                throw new MetainfoException($"the path '{path}' is used by more than one entry");
            }

            for (int i = 1; i < file.Path.Count; i++)
            {
                string folder = string.Join('/', file.Path.Take(i));
                folderPaths.Add(folder);
                if (filePaths.Contains(folder))
                {
                    throw new MetainfoException($"the path '{folder}' is used as a file and as a folder");
                }
            }
        }
    }
}
