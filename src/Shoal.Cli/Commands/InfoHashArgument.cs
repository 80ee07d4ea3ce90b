namespace Shoal.Cli.Commands;

/// <summary>A bare info-hash on the command line (`get`, `add`): what it looks like, and what to say when it is almost one.</summary>
public static class InfoHashArgument
{
    public const string Forms = "40 hex digits or 32 base32 characters for v1, 64 hex digits for v2";

    /// <summary>40 or 64 hex characters, or 32 base32 ones, and no file of that name here.</summary>
    public static bool LooksLikeInfoHash(string text) =>
        text.Length is 32 or 40 or 64 && text.All(char.IsAsciiLetterOrDigit) && !File.Exists(text);

    /// <summary>A name made only of letters and digits that is no file: more likely a mistyped info-hash than a missing .torrent.</summary>
    public static bool LooksLikeMistypedInfoHash(string text) =>
        text.Length >= 16 && text.All(char.IsAsciiLetterOrDigit) && !File.Exists(text);
}
