using System.Net.Sockets;
using System.Security.Cryptography;

namespace Shoal.Interop.Tests;

/// <summary>Checks shared by the tests that move data between processes.</summary>
public static class Transfers
{
    public static async Task WaitUntilListeningAsync(int port, RunningProcess owner, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Assert.False(owner.HasExited, $"{owner.Description} ended before listening on {port}: {owner.Tail()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Waits, a few milliseconds at a time, until <paramref name="condition"/> holds; fails with <paramref name="why"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> why)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, why());
            await Task.Delay(5);
        }
    }

    /// <summary>Every file under <paramref name="expected"/> (or the file itself) is at <paramref name="actual"/> with the same SHA-256, and nothing else is.</summary>
    public static void AssertSameContent(string expected, string actual)
    {
        if (File.Exists(expected))
        {
            Assert.True(File.Exists(actual), $"missing {actual}");
            Assert.Equal(Sha256(expected), Sha256(actual));
            return;
        }

        Assert.True(Directory.Exists(actual), $"missing folder {actual}");
        string[] want = RelativeFiles(expected);
        string[] got = RelativeFiles(actual);
        Assert.Equal(want, got);   // no file missing, and no stray ones (pad files, partial-download leftovers)
        foreach (string file in want)
        {
            Assert.True(Sha256(Path.Combine(expected, file)) == Sha256(Path.Combine(actual, file)), $"{file} differs");
        }
    }

    private static string[] RelativeFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    public static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
