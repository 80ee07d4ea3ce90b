using System.Diagnostics;

namespace Shoal.TrackerLoad;

/// <summary>
/// Hands out which peer announces next and whether its latency counts: random peers for a
/// warm-up then a measured duration or count, or (fill) every peer once in order.
/// </summary>
internal sealed class Schedule
{
    private readonly bool _fill;
    private readonly long _peers;
    private readonly long? _total;
    private long _next;
    private long _issued;

    public Schedule(LoadOptions options)
    {
        _fill = options.Fill;
        _peers = options.Peers;
        _total = options.Fill ? options.Peers : options.TotalAnnounces;
        Started = Stopwatch.GetTimestamp();
        MeasureFrom = options.Fill ? Started : Started + Seconds(options.WarmupSeconds);
        Deadline = options.Fill || options.TotalAnnounces is not null
            ? long.MaxValue
            : MeasureFrom + Seconds(options.DurationSeconds);
    }

    public long Started { get; }

    public long MeasureFrom { get; }

    public long Deadline { get; }

    /// <summary>False when the run is over; otherwise the peer to announce.</summary>
    public bool TryNext(Random random, out long peer, out bool measured)
    {
        var now = Stopwatch.GetTimestamp();
        measured = now >= MeasureFrom;
        peer = 0;
        if (now >= Deadline)
        {
            return false;
        }
        if (_fill)
        {
            peer = Interlocked.Increment(ref _next) - 1;
            return peer < _peers;
        }
        if (measured && _total is { } total && Interlocked.Increment(ref _issued) > total)
        {
            return false;
        }
        peer = random.NextInt64(_peers);
        return true;
    }

    private static long Seconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
