using System.Diagnostics;
using System.Text.RegularExpressions;
using Shoal.Swarm;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Faults;

/// <summary>
/// `shoal get` killed with SIGKILL again and again at random moments of its download (a seeded random, so a
/// failure can be replayed), then run to the end: what it had must survive, and little be fetched twice.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed partial class GetKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;

    // What libtorrent (and `shoal create`) chooses for this size.
    private const long FileSize = 256L * 1024 * 1024;
    private const int PieceLength = 256 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-get-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Get_killed_20_times_at_random_moments_completes_intact_trusting_its_records_and_loses_only_what_was_in_flight()
    {
        var (content, torrent) = await FaultContent.CreateAsync(_folder, "big.bin", FileSize, PieceLength);
        await using ShoalShare seeder = await ShoalShare.StartAsync(content, torrent, extra: ["--listen", "127.0.0.1", "--no-dht", "--no-lsd"]);

        // The leecher knows the seeder only through the relay, which counts every byte the seeder sends it.
        await using CountingRelay relay = CountingRelay.To(seeder.Endpoint);
        string target = Path.Combine(_folder, "got");
        var environment = new Dictionary<string, string>
        {
            ["SHOAL_DATA_DIR"] = Path.Combine(_folder, "data"),
            ["SHOAL_Logging__LogLevel__Shoal.Torrent"] = "Information",
        };
        string[] get = ["get", torrent, "-o", target, "--peer", relay.Endpoint, "--listen", "127.0.0.1", "--no-dht", "--no-lsd"];
        var random = new Random(13);
        var clock = Stopwatch.StartNew();
        var hashed = new List<string>();
        var fullChecks = new List<string>();
        for (int kill = 0; kill < Kills; kill++)
        {
            await using RunningProcess run = RunningProcess.Start(Tools.Shoal, get, environment: environment);

            // Somewhere in the next stretch of the download: before any byte (starting, checking) up to well into it.
            long killAt = relay.Delivered + random.NextInt64(FileSize * 9 / 10 / Kills);
            await Transfers.WaitUntilAsync(() => relay.Delivered >= killAt || run.HasExited, TimeSpan.FromMinutes(2), () => $"shoal get made no progress: {run.Tail()}");
            Assert.False(run.HasExited, $"shoal get ended before kill {kill + 1}: {run.Tail()}");
            await run.KillAsync();
            hashed.AddRange(run.ErrorLines.Select(l => CrashCheck().Match(l)).Where(m => m.Success).Select(m => m.Groups["hashed"].Value));
            fullChecks.AddRange(run.ErrorLines.Where(l => l.Contains("after a full check", StringComparison.Ordinal)));
        }

        ProcessResult last = await ProcessRunner.RunAsync(Tools.Shoal, get, timeout: TimeSpan.FromMinutes(5), environment: environment);
        clock.Stop();
        Assert.True(last.ExitCode == 0, $"exit {last.ExitCode}: {last.Error}");
        Transfers.AssertSameContent(content, Path.Combine(target, "big.bin"));

        long again = relay.Delivered - FileSize;
        double piecesPerKill = again / (double)Kills / PieceLength;
        output.WriteLine(
            $"{Kills} kills of a {FileSize >> 20} MiB download ({FileSize / PieceLength} pieces of {PieceLength >> 10} KiB) in {clock.Elapsed.TotalSeconds:F1} s: " +
            $"the seeder delivered {relay.Delivered:N0} bytes, {again:N0} more than the file ({again / Kills:N0} bytes, {piecesPerKill:F2} pieces a kill, " +
            $"wire overhead included); pieces hashed at each start after a kill: {string.Join(", ", hashed)} of {FileSize / PieceLength}");

        // A start after a kill trusts what was recorded and hashes only what was written since, never everything.
        Assert.Empty(fullChecks);
        Assert.NotEmpty(hashed);

        // A kill loses what the seeder sent that was not yet written: at most the blocks requested and held
        // in memory, which the write cache bounds.
        Assert.True(again / Kills <= SwarmSettings.Default.WriteCacheLimit, $"{again / Kills:N0} bytes fetched again per kill");
    }

    [GeneratedRegex(@"after a crash: \d+ recorded before it, (?<hashed>\d+) hashed since")]
    private static partial Regex CrashCheck();
}
