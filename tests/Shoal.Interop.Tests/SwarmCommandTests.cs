using System.Globalization;
using System.Security.Cryptography;
using Shoal.Cli;

namespace Shoal.Interop.Tests;

/// <summary>`shoal share`, `shoal get` and `shoal demo` as a person runs them: results, output lines, exit codes.</summary>
[Collection(nameof(SwarmCollection))]
public sealed class SwarmCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-commands-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Demo_moves_a_file_to_every_leecher_and_checks_each_copy()
    {
        ProcessResult result = await Tools.ShoalAsync("demo", "--size", "4M", "--peers", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("every copy's SHA-256 matches the original", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 seeder and 2 leechers", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_fetches_over_ipv6_from_share_and_a_second_run_finds_it_complete()
    {
        string content = WriteFile("data.bin", (3 * 1024 * 1024) + 5);
        string torrent = Path.Combine(_folder, "data.torrent");
        Assert.Equal(0, (await Tools.ShoalAsync("create", content, "-o", torrent, "--v1")).ExitCode);
        await using ShoalShare share = await ShoalShare.StartAsync(content, torrent);
        string target = Path.Combine(_folder, "got");
        string peer = $"[::1]:{share.Port}";

        ProcessResult first = await Tools.ShoalAsync("get", torrent, "-o", target, "--peer", peer, "--listen", "::1");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(Path.Combine(target, "data.bin"), first.Output.Trim());
        Assert.Equal(Sha256(content), Sha256(Path.Combine(target, "data.bin")));

        ProcessResult second = await Tools.ShoalAsync("get", torrent, "-o", target, "--peer", peer, "--listen", "::1");
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("fetched 0 B", second.Error, StringComparison.Ordinal);
        await share.StopAsync();
    }

    [Fact]
    public async Task Share_refuses_content_that_does_not_match_its_torrent()
    {
        string content = WriteFile("data.bin", 1024 * 1024);
        string torrent = Path.Combine(_folder, "data.torrent");
        Assert.Equal(0, (await Tools.ShoalAsync("create", content, "-o", torrent)).ExitCode);
        WriteFile("data.bin", 1024 * 1024, seed: 2);

        ProcessResult result = await Tools.ShoalAsync("share", content, "--torrent", torrent, "--listen", "127.0.0.1");
        Assert.Equal(1, result.ExitCode);
        string error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("shoal:", StringComparison.Ordinal));
        Assert.Contains("does not match the torrent", error, StringComparison.Ordinal);
        Assert.DoesNotContain("magnet:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_of_a_magnet_link_without_peers_says_it_waits_for_them_and_stops_on_sigterm()
    {
        await using RunningProcess get = RunningProcess.Start(
            Tools.Shoal, ["get", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x", "-o", _folder, "--listen", "127.0.0.1"]);
        await get.WaitForErrorLineAsync(l => l.Contains("waiting for peers", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        // 130 when the command's own handling wins, 143 (128 + SIGTERM) when System.CommandLine's does; not
        // a hang and not a kill. Nothing is on disk yet for a magnet, so either is a clean stop.
        int code = await get.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(code is ExitCodes.Interrupted or 143, $"exit {code}: {get.Tail()}");
    }

    [Theory]
    [InlineData("--max-up", "fast")]
    [InlineData("--max-down", "-5")]
    [InlineData("--peer", "nohost")]
    [InlineData("--port", "70000")]
    public async Task Bad_flag_values_are_usage_errors(string flag, string value)
    {
        string content = WriteFile("data.bin", 1000);
        string torrent = Path.Combine(_folder, "data.torrent");
        Assert.Equal(0, (await Tools.ShoalAsync("create", content, "-o", torrent)).ExitCode);
        ProcessResult result = await Tools.ShoalAsync("get", torrent, "-o", _folder, flag, value, "--listen", "127.0.0.1");
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Error}");
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private string WriteFile(string name, int length, int seed = 1)
    {
        string path = Path.Combine(_folder, name);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLower(CultureInfo.InvariantCulture);
}
