namespace Shoal.Net;

/// <summary>
/// A chain of <see cref="TokenBucket"/>s a transfer must pass all at once, such as the session's global limit
/// and one torrent's. Bytes are taken from every bucket in the same amounts; unlimited buckets never wait.
/// </summary>
/// <remarks>
/// A large acquisition is served in chunks as tokens arrive, so concurrent waiters share the rate without
/// one of them starving; strict fairness is not attempted.
/// </remarks>
public sealed class BandwidthLimiter
{
    private readonly TimeProvider _time;
    private readonly TokenBucket[] _buckets;

    public BandwidthLimiter(TimeProvider time, params IEnumerable<TokenBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(buckets);
        _time = time;
        _buckets = [.. buckets];
        foreach (TokenBucket bucket in _buckets)
        {
            ArgumentNullException.ThrowIfNull(bucket, nameof(buckets));
        }
    }

    public IReadOnlyList<TokenBucket> Buckets => _buckets;

    /// <summary>Takes up to <paramref name="wanted"/> bytes from every bucket now; returns how many.</summary>
    public int TryAcquire(int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        int granted = wanted;
        for (int i = 0; i < _buckets.Length && granted > 0; i++)
        {
            int taken = _buckets[i].TryTake(granted);
            if (taken < granted)
            {
                Return(i, granted - taken);
                granted = taken;
            }
        }

        return granted;
    }

    /// <summary>
    /// Completes once every bucket has granted <paramref name="bytes"/>, taken from all of them. If cancelled,
    /// what was taken so far is given back.
    /// </summary>
    public ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken = default)
    {
        int granted = TryAcquire(bytes);
        return granted == bytes ? ValueTask.CompletedTask : new ValueTask(WaitAsync(bytes, granted, cancellationToken));
    }

    private async Task WaitAsync(int bytes, int granted, CancellationToken cancellationToken)
    {
        try
        {
            while (granted < bytes)
            {
                await Task.Delay(DelayFor(bytes - granted), _time, cancellationToken).ConfigureAwait(false);
                granted += TryAcquire(bytes - granted);
            }
        }
        catch (OperationCanceledException)
        {
            Return(_buckets.Length, granted);
            throw;
        }
    }

    /// <summary>How long until the next chunk of <paramref name="missing"/> can pass every bucket.</summary>
    private TimeSpan DelayFor(int missing)
    {
        // Waiting for more than the smallest burst would only hold back tokens the other buckets already have.
        long chunk = missing;
        foreach (TokenBucket bucket in _buckets)
        {
            if (!bucket.IsUnlimited)
            {
                chunk = Math.Min(chunk, bucket.Burst);
            }
        }

        TimeSpan delay = TimeSpan.Zero;
        foreach (TokenBucket bucket in _buckets)
        {
            TimeSpan wait = bucket.TimeUntilAvailable((int)chunk);
            delay = wait > delay ? wait : delay;
        }

        // Task.Delay counts whole milliseconds and completes at once below one, which would spin.
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(delay.TotalMilliseconds)));
    }

    private void Return(int bucketCount, int bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        for (int i = 0; i < bucketCount; i++)
        {
            _buckets[i].Return(bytes);
        }
    }
}
