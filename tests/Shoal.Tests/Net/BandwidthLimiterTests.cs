using Shoal.Net;

namespace Shoal.Tests.Net;

public class BandwidthLimiterTests
{
    [Fact]
    public void Unlimited_buckets_never_wait()
    {
        var time = new ManualTimeProvider();
        var limiter = new BandwidthLimiter(time, new TokenBucket(time), new TokenBucket(time));

        Assert.True(CompletedAtOnce(limiter.AcquireAsync(100_000_000)));
        Assert.True(CompletedAtOnce(new BandwidthLimiter(time).AcquireAsync(1)));
    }

    private static bool CompletedAtOnce(ValueTask acquiring) => acquiring.IsCompletedSuccessfully;

    [Fact]
    public async Task The_slowest_bucket_in_the_chain_sets_the_pace_and_every_bucket_pays()
    {
        var time = new ManualTimeProvider();
        var global = new TokenBucket(time, 400_000);
        var torrent = new TokenBucket(time, 100_000);
        var limiter = new BandwidthLimiter(time, global, torrent);
        const int Bytes = 1_000_000;

        TimeSpan took = await VirtualTime.RunAsync(time, limiter.AcquireAsync(Bytes).AsTask());

        // The torrent's bucket starts with one burst, then gives 100 kB/s.
        double expected = (Bytes - torrent.Burst) / 100_000.0;
        Assert.InRange(took.TotalSeconds, expected * 0.95, expected * 1.05);

        // The global bucket paid too: it has had time to refill only what was not taken.
        long globalLeft = global.TryTake(int.MaxValue);
        Assert.InRange(globalLeft, 0, global.Burst - 1);
    }

    [Fact]
    public async Task Concurrent_waiters_share_the_rate_and_all_finish()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 200_000);
        var limiter = new BandwidthLimiter(time, bucket);
        bucket.TryTake(int.MaxValue);

        Task[] transfers = [.. Enumerable.Range(0, 8).Select(_ => limiter.AcquireAsync(100_000).AsTask())];
        TimeSpan took = await VirtualTime.RunAsync(time, transfers);

        Assert.InRange(took.TotalSeconds, 4 * 0.95, 4 * 1.05);
    }

    [Fact]
    public async Task Cancelling_a_wait_gives_back_what_was_taken()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        var limiter = new BandwidthLimiter(time, bucket);
        using var cancellation = new CancellationTokenSource();

        Task waiting = limiter.AcquireAsync(1_000_000, cancellation.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(bucket.Burst, bucket.TryTake(int.MaxValue));
    }

    [Fact]
    public async Task Lifting_the_limit_while_waiting_releases_the_waiter()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 10_000);
        var limiter = new BandwidthLimiter(time, bucket);
        bucket.TryTake(int.MaxValue);

        Task acquiring = limiter.AcquireAsync(500_000).AsTask();
        bucket.RatePerSecond = 0;
        TimeSpan took = await VirtualTime.RunAsync(time, acquiring);

        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }
}
