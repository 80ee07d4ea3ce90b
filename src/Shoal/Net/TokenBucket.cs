namespace Shoal.Net;

/// <summary>
/// A token bucket: tokens (bytes) accrue at <see cref="RatePerSecond"/> up to <see cref="Burst"/>, and each
/// transfer takes its size in tokens. The bucket starts full. Rate 0 means unlimited.
/// </summary>
/// <remarks>
/// The burst is a quarter of a second of traffic and never less than one 16 KiB block, so that a block can
/// always go in one piece and a slow limit does not hand out seconds of traffic at once. Thread-safe: one
/// bucket is shared by every connection it limits. Time comes from the <see cref="TimeProvider"/>.
/// </remarks>
public sealed class TokenBucket
{
    /// <summary>The smallest burst: one block.</summary>
    public const int MinimumBurst = 16 * 1024;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _rate;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(TimeProvider time, long ratePerSecond = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _lastRefill = time.GetTimestamp();
        RatePerSecond = ratePerSecond;
    }

    /// <summary>
    /// Bytes per second, 0 for unlimited. A change applies from now on: tokens above the new burst are dropped,
    /// and a bucket that was unlimited starts full.
    /// </summary>
    public long RatePerSecond
    {
        get
        {
            lock (_lock)
            {
                return _rate;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_lock)
            {
                bool wasUnlimited = _rate == 0;
                Refill();
                _rate = value;
                _tokens = wasUnlimited ? BurstFor(value) : Math.Min(_tokens, BurstFor(value));
            }
        }
    }

    public bool IsUnlimited => RatePerSecond == 0;

    /// <summary>The most tokens the bucket holds.</summary>
    public long Burst => BurstFor(RatePerSecond);

    public static long BurstFor(long ratePerSecond) => Math.Max(ratePerSecond / 4, MinimumBurst);

    /// <summary>Takes up to <paramref name="wanted"/> tokens; returns how many were granted (all when unlimited).</summary>
    public int TryTake(int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        lock (_lock)
        {
            if (_rate == 0)
            {
                return wanted;
            }

            Refill();
            int granted = (int)Math.Min(wanted, Math.Floor(_tokens));
            _tokens -= granted;
            return granted;
        }
    }

    /// <summary>
    /// How long until <paramref name="bytes"/> tokens are there, if nobody else takes any; zero when they are
    /// now. A request above <see cref="Burst"/> is measured as the burst, since the bucket never holds more.
    /// </summary>
    public TimeSpan TimeUntilAvailable(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            if (_rate == 0)
            {
                return TimeSpan.Zero;
            }

            Refill();
            double missing = Math.Min(bytes, BurstFor(_rate)) - _tokens;
            return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(missing * TimeSpan.TicksPerSecond / _rate));
        }
    }

    /// <summary>Gives back tokens taken for a transfer that did not happen.</summary>
    internal void Return(int bytes)
    {
        lock (_lock)
        {
            if (_rate != 0)
            {
                _tokens = Math.Min(_tokens + bytes, BurstFor(_rate));
            }
        }
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double seconds = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        if (_rate != 0 && seconds > 0)
        {
            _tokens = Math.Min(_tokens + seconds * _rate, BurstFor(_rate));
        }
    }
}
