using System.Globalization;
using Shoal.Discovery.Trackers;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Soak;

/// <summary>
/// `shoal tracker` under a fixed announce rate, HTTP and UDP, for SHOAL_SOAK_SECONDS (300 by default): every
/// announce is answered without a failure, nothing is logged as a warning or error, and its memory stays flat.
/// </summary>
public sealed class TrackerSoakTests(ITestOutputHelper output) : IDisposable
{
    private const int PerSecond = 300;
    private const int Swarms = 500;
    private const int Peers = 4_000;

    // The live heap at the end may be this much above the live heap after warm-up, and the last window's average
    // resident set this much above the first window's.
    private const double HeapGrowth = 1.25;
    private const double HeapSlackMiB = 4;
    private const double RssGrowth = 1.25;
    private const double RssSlackMiB = 16;

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-tracker-soak-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Under_a_fixed_announce_rate_over_http_and_udp_every_announce_is_answered_and_memory_stays_flat()
    {
        TimeSpan duration = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("SHOAL_SOAK_SECONDS") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : 300);
        // A fifth of the run, 10 s to a minute: the first such window warms up, the next and the last are compared.
        TimeSpan window = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 5, 10, 60));

        // Every peer comes from 127.0.0.1: the per-address rate limit and peer cap are for strangers, not for this test.
        // The managed build: the live heap is read through the runtime's diagnostics port, which the native build leaves out.
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartManagedAsync(_folder, "--rate-limit", "0", "--max-peers-per-address", "100000");
        using var http = new HttpClient();
        var load = new SoakLoad(
            new HttpTrackerClient(new Uri(tracker.HttpAnnounce), http),
            new UdpTrackerClient(new Uri(tracker.UdpAnnounce), TimeProvider.System, new UdpTrackerOptions { BaseTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 4 }),
            Swarms,
            Peers,
            seed: 13);
        var sampler = new MemorySampler(tracker.ProcessId, http, new Uri(new Uri(tracker.HttpAnnounce), "/metrics"));
        using var stopSampling = new CancellationTokenSource();
        Task sampling = sampler.RunAsync(TimeSpan.FromSeconds(5), stopSampling.Token);

        // The live heap after warm-up, and at the end, each right after a full collection.
        Task<double> firstLiveHeap = Task.Delay(2 * window).ContinueWith(_ => sampler.LiveHeapMiBAsync(), TaskScheduler.Default).Unwrap();
        await load.RunAsync(PerSecond, duration);
        double firstHeap = await firstLiveHeap;
        double lastHeap = await sampler.LiveHeapMiBAsync();
        await stopSampling.CancelAsync();
        await sampling;
        await tracker.StopAsync();

        double firstRss = sampler.AverageRssMiB(window, 2 * window);
        double lastRss = sampler.AverageRssMiB(duration - window, duration + window);
        output.WriteLine($"{duration.TotalSeconds:0} s at {PerSecond}/s over HTTP and UDP, {Swarms} swarms, {Peers} peers coming and going:");
        output.WriteLine($"  {load.Sent:N0} announces sent, {load.Answered:N0} answered, {load.Refused:N0} refused, {load.Failed:N0} unanswered");
        output.WriteLine($"  live managed heap (after an induced full collection): {firstHeap:F1} MiB at {(2 * window).TotalSeconds:0} s, {lastHeap:F1} MiB at the end");
        output.WriteLine($"  resident set: {firstRss:F1} MiB in the first window after warm-up, {lastRss:F1} MiB in the last ({window.TotalSeconds:0} s each)");
        output.WriteLine($"  peers held at the end: {sampler.Samples[^1].Peers:N0}");
        foreach (MemorySample sample in sampler.Samples)
        {
            output.WriteLine(
                $"  {sample.At.TotalSeconds,5:0} s  rss {sample.RssBytes / (double)(1 << 20),6:F1} MiB  heap {sample.HeapBytes / (double)(1 << 20),6:F1} MiB  full GCs {sample.FullCollections,3}  peers {sample.Peers,5}");
        }

        Assert.True(load.Problems.IsEmpty, string.Join('\n', load.Problems));
        Assert.Equal(load.Sent, load.Answered);
        Assert.DoesNotContain(tracker.LogLines, line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
        Assert.True(lastHeap <= (firstHeap * HeapGrowth) + HeapSlackMiB, $"the managed heap grew from {firstHeap:F1} MiB to {lastHeap:F1} MiB");
        Assert.True(lastRss <= (firstRss * RssGrowth) + RssSlackMiB, $"the resident set grew from {firstRss:F1} MiB to {lastRss:F1} MiB");
    }
}
