namespace Shoal.Tracker.Accounts;

/// <summary>
/// What user and group names and passwords may be. Names are plain ASCII so that no two differ only
/// in look (fullwidth letters, zero-width characters, other normal forms).
/// </summary>
internal static class AccountNames
{
    public const int MinNameLength = 3;
    public const int MaxNameLength = 32;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 1024;

    public const string NameRule = "a name is 3 to 32 characters: ASCII letters, digits, '_', '-' and '.'";
    public const string PasswordRule = "a password is 8 to 1024 characters";

    public static bool IsValidName(string? name) =>
        name is { Length: >= MinNameLength and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    public static bool IsValidPassword(string? password) => password is { Length: >= MinPasswordLength and <= MaxPasswordLength };
}
