namespace Shoal.Metainfo;

/// <summary>
/// File names from a torrent are never trusted: every component is checked before it can
/// become part of a path on disk.
/// </summary>
public static class PathSafety
{
    /// <summary>Throws a <see cref="MetainfoException"/> naming the entry <paramref name="describe"/> gives when a component is unsafe.</summary>
    public static void ValidateComponents(IReadOnlyList<string> components, Func<string> describe)
    {
        if (components.Count == 0)
        {
            throw new MetainfoException($"{describe()} has an empty path");
        }

        foreach (string component in components)
        {
            string? problem = FindProblem(component);
            if (problem is not null)
            {
                throw new MetainfoException($"unsafe path in {describe()}: {problem}");
            }
        }
    }

    /// <summary>Describes what is wrong with one path component, or returns null when it is safe.</summary>
    public static string? FindProblem(string component)
    {
        if (component.Length == 0)
        {
            return "empty path component";
        }

        if (component is "." or "..")
        {
            return $"'{component}' component";
        }

        foreach (char c in component)
        {
            if (c == '\0')
            {
                return "NUL character in a name";
            }

            if (char.IsControl(c))
            {
                return $"control character U+{(int)c:X4} in a name";
            }

            if (IsBidirectionalControl(c))
            {
                // "photo\u202Egpj.exe" shows as "photoexe.jpg": a name must not disguise what a file is.
                return $"bidirectional control U+{(int)c:X4} in a name";
            }

            if (c is '/' or '\\')
            {
                return $"path separator in the name '{Printable(component)}'";
            }
        }

        if (component.Length >= 2 && component[1] == ':' && char.IsAsciiLetter(component[0]))
        {
            return $"drive-qualified name '{Printable(component)}'";
        }

        return null;
    }

    /// <summary>
    /// Joins validated components below <paramref name="root"/> and proves the result stays inside it.
    /// </summary>
    public static string ResolveUnder(string root, IEnumerable<string> components)
    {
        string fullRoot = Path.GetFullPath(root);
        string[] parts = [.. components];
        foreach (string part in parts)
        {
            string? problem = FindProblem(part);
            if (problem is not null)
            {
                throw new MetainfoException($"unsafe path '{Printable(string.Join('/', parts))}': {problem}");
            }
        }

        string combined = Path.GetFullPath(Path.Combine([fullRoot, .. parts]));
        string prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        if (!combined.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new MetainfoException($"path '{Printable(string.Join('/', parts))}' would escape the folder {fullRoot}");
        }

        return combined;
    }

    /// <summary>The Unicode bidirectional formatting characters (UAX #9): embeddings, overrides, isolates and marks.</summary>
    private static bool IsBidirectionalControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
