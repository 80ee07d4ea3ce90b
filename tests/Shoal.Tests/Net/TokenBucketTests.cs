using Shoal.Net;

namespace Shoal.Tests.Net;

public class TokenBucketTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>Takes 16 KiB chunks as fast as the bucket allows, every 10 ms for the given time; returns the bytes granted.</summary>
    private static long Drain(ManualTimeProvider time, TokenBucket bucket, TimeSpan duration)
    {
        long total = 0;
        for (TimeSpan end = time.Elapsed + duration; time.Elapsed < end; time.Advance(Tick))
        {
            int granted;
            while ((granted = bucket.TryTake(16 * 1024)) > 0)
            {
                total += granted;
            }
        }

        return total;
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    [InlineData(50_000_000)]
    public void Grants_the_rate_over_time_plus_one_burst(long rate)
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, rate);

        long granted = Drain(time, bucket, TimeSpan.FromSeconds(10));

        double expected = rate * 10 + bucket.Burst;
        Assert.InRange(granted, expected * 0.95, expected * 1.05);
    }

    [Fact]
    public void An_unlimited_bucket_grants_everything_at_once()
    {
        var bucket = new TokenBucket(new ManualTimeProvider());

        Assert.True(bucket.IsUnlimited);
        Assert.Equal(int.MaxValue, bucket.TryTake(int.MaxValue));
        Assert.Equal(TimeSpan.Zero, bucket.TimeUntilAvailable(int.MaxValue));
    }

    [Fact]
    public void A_rate_change_takes_effect_at_once()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        long slow = Drain(time, bucket, TimeSpan.FromSeconds(5));

        bucket.RatePerSecond = 400_000;
        long fast = Drain(time, bucket, TimeSpan.FromSeconds(5));

        bucket.RatePerSecond = 0;
        long unlimited = bucket.TryTake(1 << 30);

        Assert.InRange(slow, 500_000 * 0.95, (500_000 + TokenBucket.BurstFor(100_000)) * 1.05);
        Assert.InRange(fast, 2_000_000 * 0.95, 2_000_000 * 1.05);
        Assert.Equal(1 << 30, unlimited);
    }

    [Fact]
    public void The_burst_is_a_quarter_second_and_at_least_a_block()
    {
        Assert.Equal(TokenBucket.MinimumBurst, TokenBucket.BurstFor(1000));
        Assert.Equal(250_000, TokenBucket.BurstFor(1_000_000));
    }

    [Fact]
    public void Time_until_available_is_the_missing_tokens_at_the_rate()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        Assert.Equal(TokenBucket.BurstFor(100_000), bucket.TryTake(int.MaxValue));

        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.TimeUntilAvailable(10_000));
        Assert.Equal(0, bucket.TryTake(10_000));

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.Zero, bucket.TimeUntilAvailable(10_000));
        Assert.Equal(10_000, bucket.TryTake(10_000));
    }
}
