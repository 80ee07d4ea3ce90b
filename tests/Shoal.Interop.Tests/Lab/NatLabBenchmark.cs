using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// A fact that is issue 16's benchmark, run by hand with bench/nat-lab.sh (which sets SHOAL_LAB_BENCH_MIB): skipped
/// otherwise, as it moves hundreds of MiB through the lab's Python delay line for many minutes.
/// </summary>
public sealed class LabBenchmarkFactAttribute : FactAttribute
{
    public LabBenchmarkFactAttribute()
    {
        Skip = NetworkNamespace.Unavailable
            ?? (Environment.GetEnvironmentVariable(NatLabBenchmark.SizeVariable) is null ? "a benchmark, run by hand: bench/nat-lab.sh" : null);
    }
}

/// <summary>
/// Issue 16's benchmark: SHOAL_LAB_BENCH_MIB MiB (256 by bench/nat-lab.sh) from home a to home b of <see cref="HomeLab"/>,
/// with the internet's 50 ms and 1 % loss each way, over TCP and over uTP, Shoal against libtorrent
/// (python3-libtorrent's lt_seed.py and lt_get.py). Home a's router runs miniupnpd and the test maps port 6881 (TCP
/// and UDP) there by NAT-PMP itself before each run, so both clients are reached the same way at 198.51.100.2:6881
/// (Shoal's own port mapping off); encryption is off on both. Each run has a fresh lab. A raw TCP flow (scripts/tcp_flow.py,
/// CUBIC and BBR) over the same path first shows what the path itself carries. One line per run goes to the test's
/// log and, tab-separated, to SHOAL_LAB_BENCH_REPORT when set; SHOAL_LAB_BENCH_CASES (e.g. "shoal-utp,libtorrent-utp")
/// picks runs.
/// </summary>
[Collection(nameof(LabCollection))]
public sealed class NatLabBenchmark(ITestOutputHelper output) : IDisposable
{
    public const string SizeVariable = "SHOAL_LAB_BENCH_MIB";
    private const int FlowSeconds = 20;
    private static readonly TimeSpan Longest = TimeSpan.FromHours(2);
    private static readonly string[] Cases = ["path-cubic", "path-bbr", "shoal-tcp", "libtorrent-tcp", "shoal-utp", "libtorrent-utp"];
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-natbench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LabBenchmarkFact]
    public async Task Home_to_home_through_the_internet_Shoal_and_libtorrent_over_TCP_and_uTP()
    {
        long size = long.Parse(Environment.GetEnvironmentVariable(SizeVariable)!, CultureInfo.InvariantCulture) << 20;
        string? picked = Environment.GetEnvironmentVariable("SHOAL_LAB_BENCH_CASES");
        string[] wanted = string.IsNullOrWhiteSpace(picked) ? Cases : picked.Split(',', StringSplitOptions.TrimEntries);
        string content = ContentSamples.RandomFile(Path.Combine(_folder, "data.bin"), size, seed: 256);
        string torrent = Path.Combine(_folder, "data.torrent");
        ProcessResult created = await Tools.ShoalAsync("create", content, "-o", torrent);
        Assert.True(created.ExitCode == 0, $"shoal create: {created.Error}");

        foreach (string run in Cases.Where(wanted.Contains))
        {
            string[] parts = run.Split('-');
            await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
            Home a = await lab.AddHomeAsync("a", portMapping: true);
            Home b = await lab.AddHomeAsync("b", portMapping: false);
            await MapAsync(a, "tcp");
            await MapAsync(a, "udp");
            DelayLineCounts before = await lab.Delay.CountsAsync();
            (double seconds, long bytes) = parts[0] switch
            {
                "path" => await FlowAsync(a, b, parts[1]),
                "shoal" => await ShoalAsync(a, b, content, torrent, parts[1], run),
                _ => await LibtorrentAsync(a, b, torrent, parts[1], run),
            };
            DelayLineCounts line = await lab.Delay.CountsAsync() - before;
            Report(run, bytes, seconds, line);
        }
    }

    /// <summary>One bulk TCP flow for 20 s from home b to home a's mapped port (the same path, the other way): what the path carries.</summary>
    private static async Task<(double Seconds, long Bytes)> FlowAsync(Home a, Home b, string congestion)
    {
        await using TcpFlowReceiver receiver = await TcpFlowReceiver.StartAsync(a.Host, LabShoal.Port, FlowSeconds + 10);
        await using RunningProcess sender = TcpFlowSender.Start(b.Host, a.WanAddress, LabShoal.Port, FlowSeconds, congestion);
        JsonElement sent = await TcpFlowSender.WaitForSummaryAsync(sender, TimeSpan.FromMinutes(2));
        JsonElement received = await receiver.WaitForSummaryAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(congestion, sent.GetProperty("congestion").GetString());
        return (received.GetProperty("seconds").GetDouble(), received.GetProperty("bytes").GetInt64());
    }

    private async Task<(double Seconds, long Bytes)> ShoalAsync(Home a, Home b, string content, string torrent, string transport, string run)
    {
        var shoal = new LabShoal(Path.Combine(_folder, run));
        string[] only = ["--no-dht", "--encryption", "disable", transport == "tcp" ? "--no-utp" : "--no-tcp"];
        var (share, _) = await shoal.ShareAsync(a.Host, "a", content, portMapping: false, ["--torrent", torrent, .. only]);
        await using RunningProcess seeding = share;
        var clock = Stopwatch.StartNew();
        await using RunningProcess get = shoal.Get(b.Host, "b", torrent, portMapping: false, [.. only, "--peer", LabShoal.EndPoint(a.WanAddress)]);
        int code = await get.WaitForExitAsync(Longest);
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.True(code == 0, $"shoal get exited with {code}: {get.Tail(10)}");
        output.WriteLine($"{run}: {get.OutputLines.Concat(get.ErrorLines).FirstOrDefault(l => l.StartsWith("fetched ", StringComparison.Ordinal))}");
        Transfers.AssertSameContent(content, Path.Combine(shoal.DownloadFolder("b"), "data.bin"));
        return (seconds, new FileInfo(content).Length);
    }

    private async Task<(double Seconds, long Bytes)> LibtorrentAsync(Home a, Home b, string torrent, string transport, string run)
    {
        string port = LabShoal.Port.ToString(CultureInfo.InvariantCulture);
        await using RunningProcess seed = a.Host.Start(
            Tools.Python, [Tools.Script("lt_seed.py"), torrent, _folder, "--host", a.HostAddress.ToString(), "--port", port, "--transport", transport]);
        await seed.WaitForOutputLineAsync(l => l.Contains("\"seeding\"", StringComparison.Ordinal), TimeSpan.FromMinutes(5));
        string got = Path.Combine(_folder, run, "got");
        Directory.CreateDirectory(got);
        var clock = Stopwatch.StartNew();
        await using RunningProcess get = b.Host.Start(
            Tools.Python,
            [
                Tools.Script("lt_get.py"), torrent, got, "--host", b.HostAddress.ToString(), "--port", port,
                "--connect", LabShoal.EndPoint(a.WanAddress), "--transport", transport, "--timeout", Longest.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ]);
        int code = await get.WaitForExitAsync(Longest);
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.True(code == 0, $"lt_get.py exited with {code}: {get.Tail(10)}");
        string finished = get.OutputLines.First(l => l.Contains("\"finished\"", StringComparison.Ordinal));
        output.WriteLine($"{run}: {finished}");
        Transfers.AssertSameContent(Path.Combine(_folder, "data.bin"), Path.Combine(got, "data.bin"));
        return (seconds, new FileInfo(Path.Combine(got, "data.bin")).Length);
    }

    /// <summary>Maps port 6881 of home a's host on its router for two hours (NAT-PMP, RFC 6886).</summary>
    private static async Task MapAsync(Home home, string protocol)
    {
        ProcessResult mapped = await home.Host.RunAsync(
            Tools.Python, [Tools.Script("natpmp_query.py"), "--gateway", home.Gateway.ToString(), "--map", protocol, "--port", LabShoal.Port.ToString(CultureInfo.InvariantCulture), "--lifetime", "7200"]);
        Assert.True(mapped.ExitCode == 0 && mapped.Output.Contains("\"result\": 0", StringComparison.Ordinal), $"NAT-PMP map {protocol}: {mapped.Output} {mapped.Error}");
    }

    private void Report(string run, long bytes, double seconds, DelayLineCounts line)
    {
        double mibPerSecond = bytes / 1048576.0 / seconds;
        output.WriteLine($"{run}: {bytes / 1048576.0:0.0} MiB in {seconds:0.0} s = {mibPerSecond:0.00} MiB/s ({mibPerSecond * 8.388608:0.0} Mbit/s); delay line: {line}");
        string? report = Environment.GetEnvironmentVariable("SHOAL_LAB_BENCH_REPORT");
        if (report is not null)
        {
            File.AppendAllText(report, string.Create(CultureInfo.InvariantCulture, $"{run}\t{bytes}\t{seconds:0.000}\t{mibPerSecond:0.000}\t{line.Forwarded}\t{line.Dropped}\n"));
        }
    }
}
