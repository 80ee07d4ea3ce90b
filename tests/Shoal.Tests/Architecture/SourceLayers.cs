using System.Text.RegularExpressions;

namespace Shoal.Tests.Architecture;

/// <summary>
/// Reads a project's C# sources and finds which of its folders each file refers to: through
/// <c>using</c> directives, qualified names (<c>Shoal.Storage.FileStorage</c>) and, for types declared in
/// the project's root namespace, their bare names.
/// </summary>
internal sealed partial class SourceLayers
{
    private readonly string _projectFolder;
    private readonly string _rootNamespace;

    public SourceLayers(string projectFolder, string rootNamespace)
    {
        _projectFolder = Path.Combine(RepositoryRoot, projectFolder);
        _rootNamespace = rootNamespace;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folders directly under the project that hold C# files (bin and obj excluded).</summary>
    public IReadOnlyList<string> Folders() =>
        [.. Directory.GetDirectories(_projectFolder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj"))
            .Where(name => Directory.EnumerateFiles(Path.Combine(_projectFolder, name), "*.cs", SearchOption.AllDirectories).Any())
            .Order(StringComparer.Ordinal)];

    /// <summary>Every reference from a file to a folder other than its own ("" is the project's root).</summary>
    public IEnumerable<(string File, string From, string To)> References()
    {
        HashSet<string> folders = [.. Folders()];
        string[] rootFiles = Directory.GetFiles(_projectFolder, "*.cs");
        HashSet<string> rootTypes = [.. rootFiles.SelectMany(file => DeclaredTypes().Matches(Code(file)).Select(m => m.Groups[1].Value))];
        var qualified = new Regex($@"\b{Regex.Escape(_rootNamespace)}\.(\w+)", RegexOptions.CultureInvariant);
        IEnumerable<string> files = Directory.EnumerateFiles(_projectFolder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(file));
        foreach (string file in files)
        {
            string from = FolderOf(file);
            string code = NamespaceLines().Replace(Code(file), string.Empty);
            IEnumerable<string> targets = qualified.Matches(code).Select(m => m.Groups[1].Value).Where(folders.Contains);
            if (from.Length > 0)
            {
                targets = targets.Concat(Words().Matches(code).Select(m => m.Value).Where(rootTypes.Contains).Select(_ => string.Empty));
            }

            foreach (string to in targets.Distinct().Where(to => to != from))
            {
                yield return (Path.GetRelativePath(RepositoryRoot, file), from, to);
            }
        }
    }

    private string FolderOf(string file)
    {
        string relative = Path.GetRelativePath(_projectFolder, file);
        int separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? string.Empty : relative[..separator];
    }

    private bool IsBuildOutput(string file)
    {
        string first = Path.GetRelativePath(_projectFolder, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    /// <summary>The file without comments and string literals, which may name anything.</summary>
    private static string Code(string file) => CommentsAndStrings().Replace(File.ReadAllText(file), " ");

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Shoal.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Shoal.slnx above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLines();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum)\s+(\w+)")]
    private static partial Regex DeclaredTypes();

    [GeneratedRegex(@"\b[A-Z]\w*")]
    private static partial Regex Words();
}
