using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Faults;

/// <summary>Parts of a swarm die (a seeder, the tracker) and a download carries on with what is left.</summary>
[Collection(nameof(SwarmCollection))]
public sealed partial class SwarmFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int PieceLength = 256 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-swarm-faults-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_seeder_killed_mid_download_leaves_the_leecher_to_finish_from_the_other_two()
    {
        const long size = 48L << 20;
        var (content, torrent) = await FaultContent.CreateAsync(_folder, "data.bin", size, PieceLength);

        // Each seeder uploads at 4 MiB/s, so the download takes seconds and the kill lands in the middle of it.
        string[] seeding = ["--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--max-up", "4M"];
        await using ShoalShare doomed = await ShoalShare.StartAsync(content, torrent, extra: seeding);
        await using ShoalShare second = await ShoalShare.StartAsync(content, torrent, extra: seeding);
        await using ShoalShare third = await ShoalShare.StartAsync(content, torrent, extra: seeding);
        await using CountingRelay toDoomed = CountingRelay.To(doomed.Endpoint);
        string target = Path.Combine(_folder, "got");
        var clock = Stopwatch.StartNew();
        await using RunningProcess get = RunningProcess.Start(
            Tools.Shoal,
            ["get", torrent, "-o", target, "--peer", toDoomed.Endpoint, "--peer", second.Endpoint, "--peer", third.Endpoint, "--listen", "127.0.0.1", "--no-dht", "--no-lsd"],
            environment: new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = Path.Combine(_folder, "data") });

        await Transfers.WaitUntilAsync(() => toDoomed.Delivered >= 4L << 20 || get.HasExited, Generous, () => $"nothing from the first seeder: {get.Tail()}");
        Assert.False(get.HasExited, $"the download ended before the kill: {get.Tail()}");
        await doomed.KillAsync();
        long fromDoomed = toDoomed.Delivered;
        TimeSpan killedAt = clock.Elapsed;

        int code = await get.WaitForExitAsync(Generous);
        Assert.True(code == 0, $"exit {code}: {get.Tail()}");
        Transfers.AssertSameContent(content, Path.Combine(target, "data.bin"));
        output.WriteLine(
            $"{size >> 20} MiB from 3 seeders at 4 MiB/s each: one killed at {killedAt.TotalSeconds:F1} s after sending {fromDoomed:N0} bytes, " +
            $"the download done from the other two at {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task With_the_tracker_killed_new_leechers_find_the_swarm_through_the_dht_and_pex()
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(Path.Combine(_folder, "tracker"));
        var (content, torrent) = await FaultContent.CreateAsync(_folder, "data.bin", 8L << 20, PieceLength, "--tracker", tracker.HttpAnnounce);

        // The swarm as the tracker made it: a seeder, and a leecher that found it there and fetches slowly
        // enough (64 KiB/s) to stay a leecher for the whole test. Both are in the DHT, the leecher joining it
        // through the seeder's node.
        await using ShoalShare seeder = await ShoalShare.StartAsync(content, torrent, extra: ["--listen", "127.0.0.1", "--no-lsd"]);
        int slowPort = Tools.FreeTcpPort();
        string slow = $"127.0.0.1:{slowPort.ToString(CultureInfo.InvariantCulture)}";
        await using RunningProcess slowLeecher = StartGet(
            "slow", torrent, ["--port", slowPort.ToString(CultureInfo.InvariantCulture), "--dht-bootstrap", seeder.Endpoint, "--max-down", "64K"], "Shoal.Discovery");
        await slowLeecher.WaitForErrorLineAsync(l => l.Contains($"to {tracker.HttpAnnounce}: 1 peer(s)", StringComparison.Ordinal), Generous);
        await slowLeecher.WaitForErrorLineAsync(l => DhtAnnounce().Match(l) is { Success: true } m && m.Groups["nodes"].Value != "0", Generous);

        await tracker.KillAsync();

        // One new leecher knows only the slow leecher, which has next to nothing: it completes through PEX, either
        // learning of the seeder from it or being dialed by the seeder, which learned of it from it (no DHT, no
        // tracker, no LSD names it anywhere else). The next knows only a DHT node.
        await using RunningProcess byPex = StartGet("by-pex", torrent, ["--no-dht", "--peer", slow]);
        await CompletesAsync(byPex, "by-pex", content, l => l.Contains("new peer(s) from Pex", StringComparison.Ordinal) || l.EndsWith("(incoming)", StringComparison.Ordinal));
        await using RunningProcess byDht = StartGet("by-dht", torrent, ["--dht-bootstrap", slow]);
        await CompletesAsync(byDht, "by-dht", content, l => l.Contains("new peer(s) from Dht", StringComparison.Ordinal));

        Assert.False(slowLeecher.HasExited, "the slow leecher finished: it was meant to stay a leecher");
        output.WriteLine(
            $"tracker killed; the leecher by PEX: {PeerSources(byPex)}, {byPex.ErrorLines.Count(l => l.EndsWith("(incoming)", StringComparison.Ordinal))} incoming; " +
            $"the leecher by DHT: {PeerSources(byDht)}");
    }

    private async Task CompletesAsync(RunningProcess leecher, string name, string content, Func<string, bool> foundBy)
    {
        int code = await leecher.WaitForExitAsync(Generous);
        Assert.True(code == 0, $"{name}: exit {code}: {leecher.Tail()}");
        Assert.True(leecher.ErrorLines.Any(foundBy), $"{name} did not find the swarm the way it should: {string.Join(" | ", leecher.ErrorLines)}");
        Transfers.AssertSameContent(content, Path.Combine(_folder, name, "data.bin"));
    }

    private static string PeerSources(RunningProcess leecher) =>
        string.Join(", ", leecher.ErrorLines.Select(l => NewPeers().Match(l)).Where(m => m.Success).Select(m => m.Value));

    /// <summary>`shoal get` into its own folder with its own data folder (so its own DHT table), logging where its peers come from.</summary>
    private RunningProcess StartGet(string name, string torrent, string[] extra, string debugCategory = "Shoal.Torrent") => RunningProcess.Start(
        Tools.Shoal,
        ["get", torrent, "-o", Path.Combine(_folder, name), "--listen", "127.0.0.1", "--no-lsd", .. extra],
        environment: new Dictionary<string, string>
        {
            ["SHOAL_DATA_DIR"] = Path.Combine(_folder, $"{name}-data"),
            ["SHOAL_Logging__LogLevel__Shoal.Torrent"] = "Debug",
            [$"SHOAL_Logging__LogLevel__{debugCategory}"] = "Debug",
        });

    [GeneratedRegex(@"\d+ new peer\(s\) from \w+")]
    private static partial Regex NewPeers();

    [GeneratedRegex(@"announced to the DHT, \d+ peers found, (?<nodes>\d+) nodes in the table")]
    private static partial Regex DhtAnnounce();
}
