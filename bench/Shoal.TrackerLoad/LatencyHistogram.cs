namespace Shoal.TrackerLoad;

/// <summary>
/// Latencies in microseconds: exact below 2048 µs, then 1024 buckets per power of two (0.1 %
/// precision), so percentiles need no stored samples and workers merge by adding counts.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int ExactBits = 11;
    private const int SubBits = 10;
    private const int MaxBits = 36;

    private readonly long[] _counts = new long[(1 << ExactBits) + ((MaxBits - ExactBits) << SubBits)];

    public long Count { get; private set; }

    public long MaxMicroseconds { get; private set; }

    public void Record(long microseconds)
    {
        microseconds = Math.Clamp(microseconds, 0, (1L << MaxBits) - 1);
        _counts[Index(microseconds)]++;
        Count++;
        MaxMicroseconds = Math.Max(MaxMicroseconds, microseconds);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>The smallest recorded value (bucket's lower bound) at or above the fraction.</summary>
    public long Percentile(double fraction)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return Math.Min(LowerBound(i), MaxMicroseconds);
            }
        }
        return MaxMicroseconds;
    }

    private static int Index(long value)
    {
        if (value < 1 << ExactBits)
        {
            return (int)value;
        }
        var top = 63 - (int)long.LeadingZeroCount(value);
        var sub = (int)(value >> (top - SubBits)) - (1 << SubBits);
        return (1 << ExactBits) + ((top - ExactBits) << SubBits) + sub;
    }

    private static long LowerBound(int index)
    {
        if (index < 1 << ExactBits)
        {
            return index;
        }
        var rest = index - (1 << ExactBits);
        var top = (rest >> SubBits) + ExactBits;
        var sub = rest & ((1 << SubBits) - 1);
        return (long)((1 << SubBits) + sub) << (top - SubBits);
    }
}
