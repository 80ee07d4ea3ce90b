namespace Shoal.Node.Security;

/// <summary>
/// The folders a <c>{"share": PATH}</c> may reach into. A path is judged by where it really is, every symbolic link
/// on the way followed, so a link under a root that points elsewhere shares nothing.
/// </summary>
internal sealed class ShareRoots(IReadOnlyList<string> roots)
{
    private const int MaxLinkDepth = 40;

    private readonly string[] _roots = [.. roots.Select(root => Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(root))))];

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>The real path of <paramref name="fullPath"/> when it lies under a root; null when it does not.</summary>
    public string? Admit(string fullPath)
    {
        string real = RealPath(fullPath);
        return _roots.Any(root => real == root || real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || root == Path.GetPathRoot(root))
            ? real
            : null;
    }

    /// <summary>The path with every symbolic link in it resolved, component by component, as realpath(3) does.</summary>
    private static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > MaxLinkDepth)
        {
            throw new IOException($"{fullPath}: too many levels of symbolic links");
        }

        string resolved = Path.GetPathRoot(fullPath)!;
        foreach (string part in fullPath[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(resolved, part);
            FileSystemInfo? target = new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true);
            resolved = target is null ? next : RealPath(Path.GetFullPath(target.FullName), depth + 1);
        }

        return resolved;
    }
}
