using System.Globalization;
using System.Text;

namespace Shoal.TrackerLoad;

internal sealed record LoadResult(LoadOptions Options, WorkerStats Stats, TimeSpan Measured, CpuWindow Cpu)
{
    public double AnnouncesPerSecond => Stats.Announces / Measured.TotalSeconds;

    /// <summary>The tracker's CPU time per answered announce over the measured window, in microseconds.</summary>
    public double? TrackerMicrosecondsPerAnnounce =>
        Cpu.WatchedSeconds is { } seconds && Stats.Announces > 0 ? seconds * 1e6 / Stats.Announces : null;

    /// <summary>For people: a few lines.</summary>
    public string Describe()
    {
        var o = Options;
        var latency = Stats.Latency;
        return new StringBuilder()
            .AppendLine($"{(o.Fill ? "fill" : "load")} {o.Transport.ToString().ToLowerInvariant()} {o.Target}, concurrency {o.Concurrency}, {Swarms.Describe(o.Hashes, o.Peers)}, numwant {o.NumWant}, seed {o.Seed}")
            .AppendLine($"  {Stats.Announces} announces in {Measured.TotalSeconds:F1} s: {AnnouncesPerSecond:F0}/s")
            .AppendLine($"  latency p50 {Ms(latency.Percentile(0.5))} ms, p90 {Ms(latency.Percentile(0.9))} ms, p99 {Ms(latency.Percentile(0.99))} ms, max {Ms(latency.MaxMicroseconds)} ms")
            .AppendLine($"  errors {Stats.Errors}, timeouts {Stats.Timeouts}, connects {Stats.Connects}, received {Stats.BytesReceived / 1024} KiB")
            .AppendLine(Stats.FirstError is { } error ? $"  first error: {error}" : "  no errors")
            .AppendLine($"  CPU (% of one core): tracker {Percent(Cpu.WatchedPercent)}, generator {Percent(Cpu.SelfPercent)}; tracker {Micros(TrackerMicrosecondsPerAnnounce)} µs per announce")
            .ToString();
    }

    /// <summary>For scripts: one line of key=value pairs.</summary>
    public string Line()
    {
        var latency = Stats.Latency;
        return $"RESULT transport={Options.Transport.ToString().ToLowerInvariant()} announces={Stats.Announces} seconds={Measured.TotalSeconds:F2} rate={AnnouncesPerSecond:F0} "
            + $"p50_ms={Ms(latency.Percentile(0.5))} p90_ms={Ms(latency.Percentile(0.9))} p99_ms={Ms(latency.Percentile(0.99))} max_ms={Ms(latency.MaxMicroseconds)} "
            + $"errors={Stats.Errors} timeouts={Stats.Timeouts} connects={Stats.Connects} "
            + $"tracker_cpu={Percent(Cpu.WatchedPercent)} generator_cpu={Percent(Cpu.SelfPercent)} "
            + $"tracker_cpu_s={(Cpu.WatchedSeconds is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) : "-")} cpu_us_per_announce={Micros(TrackerMicrosecondsPerAnnounce)}";
    }

    private static string Percent(double? percent) => percent is { } p ? p.ToString("F0") : "-";

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static string Micros(double? microseconds) => microseconds is { } us ? us.ToString("F1", CultureInfo.InvariantCulture) : "-";
}
