using System.Text;

namespace Shoal.Cli.Accounts;

/// <summary>Reads a password: one line of standard input with --password-stdin, else typed at the terminal without echo.</summary>
public static class PasswordInput
{
    public static async Task<string> ReadAsync(bool fromStdin, bool confirm)
    {
        if (fromStdin)
        {
            string? line = await Console.In.ReadLineAsync().ConfigureAwait(false);
            return string.IsNullOrEmpty(line) ? throw new UsageException("--password-stdin: standard input holds no password line") : line;
        }

        if (Console.IsInputRedirected)
        {
            throw new UsageException("standard input is not a terminal: pass the password on it with --password-stdin");
        }

        string password = Prompt("password: ");
        if (confirm && Prompt("password again: ") != password)
        {
            throw new UsageException("the two passwords differ");
        }

        return password;
    }

    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
