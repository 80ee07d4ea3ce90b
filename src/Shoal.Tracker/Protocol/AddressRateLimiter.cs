using System.Net;
using System.Threading.RateLimiting;
using Shoal.Primitives;

namespace Shoal.Tracker.Protocol;

/// <summary>
/// Announces and scrapes per IP address, HTTP and UDP together: a token bucket per address that
/// refills every second, so a client may burst up to a minute's allowance. Idle buckets are dropped
/// by the limiter itself.
/// </summary>
internal sealed class AddressRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _limiter;

    /// <summary><paramref name="perMinute"/> of 0 turns the limit off.</summary>
    public AddressRateLimiter(int perMinute)
    {
        if (perMinute <= 0)
        {
            return;
        }

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, perMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
        PerMinute = perMinute;
    }

    public int PerMinute { get; }

    public bool TryAcquire(IPAddress address)
    {
        if (_limiter is null)
        {
            return true;
        }

        using RateLimitLease lease = _limiter.AttemptAcquire(IPv4Mapping.Unmap(address));
        return lease.IsAcquired;
    }

    public string Refusal(IPAddress address) => $"too many requests from {address}: at most {PerMinute} a minute";

    public void Dispose() => _limiter?.Dispose();
}
