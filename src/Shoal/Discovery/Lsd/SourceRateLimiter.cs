using System.Net;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// A token bucket per source address: each holds up to <paramref name="burst"/> messages and regains one per
/// <paramref name="refillInterval"/>. At most <paramref name="maxSources"/> buckets are kept; a full bucket
/// is the same as none, so full ones are the first to go.
/// </summary>
internal sealed class SourceRateLimiter(int burst, TimeSpan refillInterval, int maxSources)
{
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];

    /// <summary>Takes a token from <paramref name="source"/>'s bucket at time <paramref name="now"/>; false when it has none.</summary>
    public bool TryAcquire(IPAddress source, TimeSpan now)
    {
        if (!_buckets.TryGetValue(source, out Bucket bucket))
        {
            if (_buckets.Count >= maxSources && !EvictFull(now))
            {
                return false;
            }

            bucket = new Bucket(burst, now);
        }

        double tokens = TokensAt(bucket, now);
        if (tokens < 1)
        {
            return false;
        }

        _buckets[source] = new Bucket(tokens - 1, now);
        return true;
    }

    private double TokensAt(Bucket bucket, TimeSpan now) =>
        Math.Min(burst, bucket.Tokens + ((now - bucket.At) / refillInterval));

    private bool EvictFull(TimeSpan now)
    {
        foreach (IPAddress full in _buckets.Where(b => TokensAt(b.Value, now) >= burst).Select(b => b.Key).ToList())
        {
            _buckets.Remove(full);
        }

        return _buckets.Count < maxSources;
    }

    private readonly record struct Bucket(double Tokens, TimeSpan At);
}
