using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Shoal.Tracker.Tests;

namespace Shoal.Interop.Tests.Soak;

/// <summary>
/// One reading of the tracker process: its resident set (from /proc); its managed heap, full collections so far and
/// peers (from /metrics).
/// </summary>
internal sealed record MemorySample(TimeSpan At, long RssBytes, long HeapBytes, long FullCollections, long Peers);

/// <summary>Reads the tracker process's memory every period until stopped.</summary>
internal sealed class MemorySampler(int processId, HttpClient http, Uri metrics)
{
    private readonly List<MemorySample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<MemorySample> Samples => _samples;

    public async Task RunAsync(TimeSpan period, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                _samples.Add(await SampleAsync());
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The live managed heap, in MiB: the heap right after a full, blocking collection, which this induces the way
    /// dotnet-gcdump does (an EventPipe session with the GCHeapCollect keyword). Without it the heap after the last
    /// collection holds whatever dead objects generation 2 has gathered since the last full one, which in a 5-minute
    /// soak may be no collection at all.
    /// </summary>
    public async Task<double> LiveHeapMiBAsync()
    {
        const long GCHeapCollect = 0x800000;
        long before = (await SampleAsync()).FullCollections;
        var client = new DiagnosticsClient(processId);
        using EventPipeSession session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GCHeapCollect), requestRundown: false);
        Task draining = session.EventStream.CopyToAsync(Stream.Null);
        var waited = Stopwatch.StartNew();
        MemorySample after;
        while ((after = await SampleAsync()).FullCollections == before)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the induced full collection did not happen within 30 s");
            await Task.Delay(100);
        }

        await session.StopAsync(CancellationToken.None);
        await draining;
        return after.HeapBytes / (double)(1 << 20);
    }

    /// <summary>The average resident set of the samples taken from <paramref name="from"/> to <paramref name="to"/>, in MiB.</summary>
    public double AverageRssMiB(TimeSpan from, TimeSpan to)
    {
        MemorySample[] window = [.. _samples.Where(sample => sample.At >= from && sample.At <= to)];
        Assert.True(window.Length > 0, $"no memory sample between {from} and {to}");
        return window.Average(sample => sample.RssBytes) / (1 << 20);
    }

    private async Task<MemorySample> SampleAsync()
    {
        TimeSpan at = _clock.Elapsed;
        string text = await http.GetStringAsync(metrics);
        // The heap after the last collection, every generation: what the collector kept, not garbage waiting for it.
        long heap = (long)PrometheusText.Sum(text, "dotnet_gc_last_collection_heap_size_bytes");
        // Until a full collection, dead objects promoted to generation 2 count in that heap.
        long full = (long)PrometheusText.Sum(text, "dotnet_gc_collections_total", "gc_heap_generation=\"gen2\"");
        long peers = (long)PrometheusText.Sum(text, "shoal_tracker_peers");
        return new MemorySample(at, ResidentBytes(), heap, full, peers);
    }

    private long ResidentBytes()
    {
        string line = File.ReadLines($"/proc/{processId}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
