using System.Text.RegularExpressions;

namespace Shoal.TrackerApi;

/// <summary>
/// Takes the secrets of a Shoal tracker login out of text that is about to be logged: the passkey of
/// <c>/announce/PASSKEY</c> and <c>/scrape/PASSKEY</c>, bearer tokens, and <c>passkey</c>, <c>token</c>
/// and <c>password</c> values in queries and JSON.
/// </summary>
public static partial class SecretRedaction
{
    public const string Placeholder = "[redacted]";

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Secrets().Replace(text, match => match.Groups["keep"].Value + Placeholder);
    }

    [GeneratedRegex("""
        (?<keep>/(?:announce|scrape)/)[^/?#\s"']+
        | (?<keep>\bBearer\s+)[^\s"',;]+
        | (?<keep>[?&](?:passkey|token|password)=)[^&#\s"']*
        | (?<keep>"(?:passkey|token|password)"\s*:\s*")[^"]*
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
