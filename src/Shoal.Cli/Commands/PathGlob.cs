using System.Text;
using System.Text.RegularExpressions;

namespace Shoal.Cli.Commands;

/// <summary>
/// A shell-style pattern over a torrent's file paths as <c>shoal info</c> shows them: <c>*</c> and <c>?</c>
/// stay within one path component, <c>**</c> crosses them, <c>[abc]</c>, <c>[a-z]</c> and <c>[!abc]</c> match one
/// character. A pattern that names a folder matches every file under it.
/// </summary>
internal sealed class PathGlob
{
    private readonly Regex _regex;

    public PathGlob(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex($"^{Translate(pattern)}(/.*)?$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public bool Matches(string path) => _regex.IsMatch(path);

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[' when pattern.IndexOf(']', i + 2) is > 0 and int end:
                    regex.Append(CharacterClass(pattern[(i + 1)..end]));
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }

    /// <summary>The inside of <c>[...]</c>: a leading <c>!</c> or <c>^</c> negates; ranges stay ranges; nothing else is special.</summary>
    private static string CharacterClass(string inside)
    {
        bool negated = inside[0] is '!' or '^';
        var set = new StringBuilder(negated ? "[^" : "[");
        foreach (char c in negated ? inside[1..] : inside)
        {
            set.Append(c is '\\' or '[' or ']' or '^' ? $"\\{c}" : c.ToString());
        }

        return set.Append(']').ToString();
    }
}
