using System.Diagnostics;

namespace Shoal.TrackerLoad;

/// <summary>
/// The CPU a watched process (the tracker) and this generator use over the measured window,
/// each as a percentage of one core, so warm-up and start-up do not dilute the figures.
/// </summary>
internal sealed class CpuWindow(string? watchedPid)
{
    private double? _watchedStart;
    private double? _selfStart;
    private long _startedAt;

    public double? WatchedPercent { get; private set; }

    /// <summary>The watched process's CPU seconds (user + system) over the window.</summary>
    public double? WatchedSeconds { get; private set; }

    public double? SelfPercent { get; private set; }

    public async Task StartAtAsync(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        _startedAt = Stopwatch.GetTimestamp();
        _watchedStart = watchedPid is null ? null : ProcessCpu.Seconds(watchedPid);
        _selfStart = ProcessCpu.Seconds("self");
    }

    public void Stop()
    {
        if (_startedAt == 0)
        {
            return;
        }
        var seconds = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        var watchedEnd = watchedPid is null ? null : ProcessCpu.Seconds(watchedPid);
        WatchedSeconds = _watchedStart is { } s && watchedEnd is { } e ? e - s : null;
        WatchedPercent = Percent(_watchedStart, watchedEnd, seconds);
        SelfPercent = Percent(_selfStart, ProcessCpu.Seconds("self"), seconds);
    }

    private static double? Percent(double? start, double? end, double seconds) =>
        start is { } s && end is { } e ? 100 * (e - s) / seconds : null;
}
