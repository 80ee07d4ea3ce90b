using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Faults;

/// <summary>
/// `shoal get` killed with SIGKILL again and again at random moments of its download (a seeded random, so a
/// failure can be replayed), then run to the end: the file is intact, each start trusts the last record and
/// hashes only what was written since, and a kill costs only what was in flight.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed partial class GetKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;

    // 128 + SIGKILL.
    private const int KilledExitCode = 137;

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
        long[] stretches = Stretches(random);
        var clock = Stopwatch.StartNew();
        var hashed = new List<string>();
        long trusted = 0;
        var fullChecks = new List<string>();
        var runs = new List<string>();
        for (int kill = 0; kill < Kills; kill++)
        {
            await using RunningProcess run = RunningProcess.Start(Tools.Shoal, get, environment: environment);
            long startDelivered = relay.Delivered;
            if (stretches[kill] > 0)
            {
                // The relay kills it the moment the stretch is delivered: in the middle of whatever it was doing.
                relay.When(startDelivered + stretches[kill], run.KillNow);
            }
            else
            {
                // Starting, checking, writing its first record: killed within a second, and at its first byte at the latest.
                relay.When(startDelivered + 1, run.KillNow);
                await Task.Delay(random.Next(1000));
                run.KillNow();
            }

            int code = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
            Assert.True(code == KilledExitCode, $"shoal get ended with {code} before kill {kill + 1}: {run.Tail()}");
            runs.Add($"{run.ErrorLines.Select(l => PiecesAtStart().Match(l)).Where(m => m.Success).Select(m => m.Groups["have"].Value).FirstOrDefault() ?? "-"}+{(relay.Delivered - startDelivered) / PieceLength}");
            Match[] checks = [.. run.ErrorLines.Select(l => CrashCheck().Match(l)).Where(m => m.Success)];
            hashed.AddRange(checks.Select(m => m.Groups["hashed"].Value));
            trusted += checks.Sum(m => long.Parse(m.Groups["recorded"].Value, CultureInfo.InvariantCulture));
            fullChecks.AddRange(run.ErrorLines.Where(l => l.Contains("after a full check", StringComparison.Ordinal)));
        }

        ProcessResult last = await ProcessRunner.RunAsync(Tools.Shoal, get, timeout: TimeSpan.FromMinutes(5), environment: environment);
        clock.Stop();
        Assert.True(last.ExitCode == 0, $"exit {last.ExitCode}: {last.Error}");
        Transfers.AssertSameContent(content, Path.Combine(target, "big.bin"));

        // Wire overhead (message headers, handshakes, bitfields) counts as fetched again: a bound, not an estimate.
        long again = relay.Delivered - FileSize;
        int midTransfer = stretches.Count(stretch => stretch > 0);
        output.WriteLine(
            $"{Kills} kills ({midTransfer} mid-transfer, {Kills - midTransfer} while starting) of a {FileSize >> 20} MiB download " +
            $"({FileSize / PieceLength} pieces of {PieceLength >> 10} KiB), {clock.Elapsed.TotalSeconds:F1} s in all: the seeder delivered {relay.Delivered:N0} bytes, " +
            $"{again:N0} more than the file: {again / (double)Kills / PieceLength:F2} pieces a kill, {again / (double)midTransfer / PieceLength:F2} a mid-transfer kill. " +
            $"Pieces hashed at a start after a kill: {string.Join(", ", hashed)} of {FileSize / PieceLength}; trusted from the records: {trusted:N0}; full checks: {fullChecks.Count}. " +
            $"Runs (pieces found at start + pieces delivered before the kill): {string.Join(", ", runs)}");

        // A start after a kill trusts what was recorded and hashes only what was written since, never everything.
        Assert.Empty(fullChecks);
        Assert.NotEmpty(hashed);
        long hashedInAll = hashed.Sum(h => long.Parse(h, CultureInfo.InvariantCulture));
        Assert.True(trusted > hashedInAll, $"{trusted} pieces trusted from records, {hashedInAll} hashed");

        // At most two pieces fetched again per kill (issue 13). A kill loses what the seeder sent that was not yet
        // written: the blocks in the leecher's socket, which its pipeline keeps to a margin while it is the bottleneck,
        // the blocks of pieces under way, and the pieces waiting for the checker, which a limit keeps to 1 MiB.
        Assert.True(again <= 2L * PieceLength * Kills, $"{again / (double)Kills / PieceLength:F2} pieces fetched again per kill");
    }

    /// <summary>
    /// How far each run gets before its kill, as bytes delivered: random stretches that add up to 90 % of the file, so
    /// every run is killed before the download can finish; one run in five is killed before any byte instead (0).
    /// </summary>
    private static long[] Stretches(Random random)
    {
        double[] weights = [.. Enumerable.Range(0, Kills).Select(_ => random.NextDouble() < 0.2 ? 0 : random.NextDouble())];
        double sum = weights.Sum();
        return [.. weights.Select(w => (long)(FileSize * 0.9 * w / sum))];
    }

    [GeneratedRegex(@"(?<have>\d+) of \d+ pieces on disk after")]
    private static partial Regex PiecesAtStart();

    [GeneratedRegex(@"after a crash: (?<recorded>\d+) recorded before it, (?<hashed>\d+) hashed since")]
    private static partial Regex CrashCheck();
}
