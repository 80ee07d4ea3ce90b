namespace Shoal.Swarm;

/// <summary>
/// A rolling transfer rate in bytes per second over the last few seconds, kept in a ring of per-second
/// buckets so that adding a transfer allocates nothing. Time is passed in and must not go backwards.
/// </summary>
/// <remarks>
/// The rate is the bytes of the window's whole seconds plus the current part second, divided by that span;
/// until the meter has seen a full window it divides by the time since the first transfer instead, but never
/// by less than a second, so that one early block does not read as a huge rate. Not thread-safe.
/// </remarks>
public sealed class RateMeter
{
    public const int DefaultWindowSeconds = 5;

    private readonly long[] _bytes;
    private readonly long[] _seconds;
    private long _latestSecond = long.MinValue;
    private TimeSpan _first;

    public RateMeter(int windowSeconds = DefaultWindowSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSeconds, 3600);
        _bytes = new long[windowSeconds];
        _seconds = new long[windowSeconds];
        Array.Fill(_seconds, long.MinValue);
    }

    public int WindowSeconds => _bytes.Length;

    /// <summary>All bytes ever added.</summary>
    public long Total { get; private set; }

    public void Add(long bytes, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long second = Math.Max(SecondOf(now), _latestSecond);
        if (_latestSecond == long.MinValue)
        {
            _first = now;
        }

        _latestSecond = second;
        int slot = (int)(second % _bytes.Length);
        if (_seconds[slot] != second)
        {
            _seconds[slot] = second;
            _bytes[slot] = 0;
        }

        _bytes[slot] += bytes;
        Total += bytes;
    }

    /// <summary>Bytes per second over the window ending at <paramref name="now"/>.</summary>
    public long Rate(TimeSpan now)
    {
        if (_latestSecond == long.MinValue)
        {
            return 0;
        }

        long second = SecondOf(now);
        long sum = 0;
        for (int i = 0; i < _bytes.Length; i++)
        {
            if (_seconds[i] <= second && _seconds[i] > second - _bytes.Length)
            {
                sum += _bytes[i];
            }
        }

        long window = (_bytes.Length - 1) * TimeSpan.TicksPerSecond + (now.Ticks - second * TimeSpan.TicksPerSecond);
        long span = Math.Max(Math.Min(window, (now - _first).Ticks), TimeSpan.TicksPerSecond);
        return (long)((Int128)sum * TimeSpan.TicksPerSecond / span);
    }

    private static long SecondOf(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.Zero);
        return time.Ticks / TimeSpan.TicksPerSecond;
    }
}
