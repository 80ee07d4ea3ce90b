using System.CommandLine;

namespace Shoal.Cli.Accounts;

/// <summary>The flags of `user create` and `login`.</summary>
public static class AccountFlags
{
    public static Option<string> Tracker() => new("--tracker") { Description = "The tracker: its announce URL or http(s)://host:port", Required = true };

    public static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of standard input instead of asking" };
}
