using System.Diagnostics;
using System.Globalization;
using Shoal.Tracker.Tests;

namespace Shoal.Interop.Tests.Soak;

/// <summary>One reading of the tracker process: its resident set (from /proc) and its managed heap and peers (from /metrics).</summary>
internal sealed record MemorySample(TimeSpan At, long RssBytes, long HeapBytes, long Peers);

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

    /// <summary>The average of the samples taken from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public (double RssMiB, double HeapMiB) Average(TimeSpan from, TimeSpan to)
    {
        MemorySample[] window = [.. _samples.Where(sample => sample.At >= from && sample.At <= to)];
        Assert.True(window.Length > 0, $"no memory sample between {from} and {to}");
        return (window.Average(sample => sample.RssBytes) / (1 << 20), window.Average(sample => sample.HeapBytes) / (1 << 20));
    }

    private async Task<MemorySample> SampleAsync()
    {
        TimeSpan at = _clock.Elapsed;
        string text = await http.GetStringAsync(metrics);
        // The heap after the last collection, every generation: what the collector kept, not garbage waiting for it.
        long heap = (long)PrometheusText.Sum(text, "dotnet_gc_last_collection_heap_size_bytes");
        long peers = (long)PrometheusText.Sum(text, "shoal_tracker_peers");
        return new MemorySample(at, ResidentBytes(), heap, peers);
    }

    private long ResidentBytes()
    {
        string line = File.ReadLines($"/proc/{processId}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
