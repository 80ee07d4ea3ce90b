using Shoal.Metainfo;

namespace Shoal.Cli.Commands;

/// <summary>`--only` and `--skip`: which of a torrent's files to fetch, by <see cref="PathGlob"/> patterns over their paths as `shoal info` shows them.</summary>
internal static class FileChoice
{
    /// <summary>
    /// Every file matched by a pattern of <paramref name="only"/> (every file when there is none), less every
    /// file matched by one of <paramref name="skip"/>. A pattern that matches no file is a mistake the user is told of.
    /// </summary>
    public static IReadOnlyList<FilePriority> Priorities(Torrent torrent, IReadOnlyList<string> only, IReadOnlyList<string> skip)
    {
        PathGlob[] onlyGlobs = [.. only.Select(p => new PathGlob(p))];
        PathGlob[] skipGlobs = [.. skip.Select(p => new PathGlob(p))];
        var priorities = new FilePriority[torrent.Files.Count];
        var used = new HashSet<PathGlob>();
        for (int i = 0; i < priorities.Length; i++)
        {
            FileEntry file = torrent.Files[i];
            if (file.IsPadding)
            {
                continue;
            }

            string path = torrent.IsMultiFile ? $"{torrent.Name}/{file.DisplayPath}" : file.DisplayPath;
            bool wanted = onlyGlobs.Length == 0 || Any(onlyGlobs, path, used);
            priorities[i] = wanted && !Any(skipGlobs, path, used) ? FilePriority.Normal : FilePriority.Skip;
        }

        if (onlyGlobs.Concat(skipGlobs).FirstOrDefault(g => !used.Contains(g)) is { } unused)
        {
            throw new UsageException($"no file of '{torrent.Name}' matches '{unused.Pattern}' (paths start with the torrent's name, as `shoal info` shows them)");
        }

        if (priorities.All(p => p == FilePriority.Skip))
        {
            throw new UsageException($"--only and --skip leave no file of '{torrent.Name}' to fetch");
        }

        return priorities;
    }

    private static bool Any(PathGlob[] globs, string path, HashSet<PathGlob> used)
    {
        bool any = false;
        foreach (PathGlob glob in globs)
        {
            if (glob.Matches(path))
            {
                used.Add(glob);
                any = true;
            }
        }

        return any;
    }
}
