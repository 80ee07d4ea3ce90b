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
    public async Task A_wait_already_cancelled_ends_at_once_and_gives_back_what_was_taken()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        var limiter = new BandwidthLimiter(time, bucket);

        Task waiting = limiter.AcquireAsync(1_000_000, new CancellationToken(canceled: true)).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(bucket.Burst, bucket.TryTake(int.MaxValue));
        Assert.Null(time.NextDue);
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

    [Theory]
    [InlineData(1, 4_000_000)]
    [InlineData(5, 4_000_000)]
    [InlineData(32, 4_000_000)]
    [InlineData(3, 100_000)]
    public async Task Senders_asking_for_a_range_share_the_rate_exactly_on_one_timer_served_once_per_pacing(int senders, long rate)
    {
        const int Block = 16 * 1024;
        const int Batch = 256 * 1024;
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, rate);
        var limiter = new BandwidthLimiter(time, bucket);
        bucket.TryTake(int.MaxValue);
        var pending = new Task<int>[senders];
        long[] sent = new long[senders];
        for (int i = 0; i < senders; i++)
        {
            pending[i] = limiter.AcquireAsync(Block, Batch).AsTask();
        }

        TimeSpan duration = TimeSpan.FromSeconds(20);
        int servings = 0;
        TimeSpan last = TimeSpan.Zero;
        while (time.Elapsed < duration)
        {
            // Every sender waits, all on the limiter's one timer.
            Assert.All(pending, p => Assert.False(p.IsCompleted));
            Assert.Equal(1, time.TimerCount);
            TimeSpan due = time.NextDue!.Value;
            Assert.True(due - last >= BandwidthLimiter.Pacing, $"served {due - last} after the last serving");
            time.Advance(due - time.Elapsed);
            last = due;
            servings++;
            for (int i = 0; i < senders; i++)
            {
                while (pending[i].IsCompleted)
                {
                    int granted = await pending[i];
                    Assert.InRange(granted, Block, Batch);
                    sent[i] += granted;
                    pending[i] = limiter.AcquireAsync(Block, Batch).AsTask();
                }
            }
        }

        // Exact over the window: what accrued went out, to within what one serving hands out.
        double accrued = rate * time.Elapsed.TotalSeconds;
        Assert.InRange(sent.Sum(), accrued - Batch, accrued);
        Assert.All(sent, s => Assert.InRange(s, accrued / senders * 0.85, accrued / senders * 1.15));
        Assert.InRange(servings, 1, (duration / BandwidthLimiter.Pacing) + 1);
    }

    [Fact]
    public async Task A_waiting_transfer_is_not_overtaken()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        var limiter = new BandwidthLimiter(time, bucket);
        bucket.TryTake(int.MaxValue);

        Task<int> waiting = limiter.AcquireAsync(16 * 1024, 16 * 1024).AsTask();
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(0, limiter.TryAcquire(1000));
        Assert.False(limiter.AcquireAsync(1000).AsTask().IsCompleted);

        time.Advance(time.NextDue!.Value - time.Elapsed);
        Assert.True(waiting.IsCompleted);
        Assert.Equal(16 * 1024, await waiting);
    }
}
