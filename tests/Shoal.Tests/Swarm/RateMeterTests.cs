using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public class RateMeterTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>Feeds the meter <paramref name="bytesPerStep"/> every 100 ms from <paramref name="from"/> for <paramref name="duration"/>.</summary>
    private static TimeSpan Feed(RateMeter meter, TimeSpan from, TimeSpan duration, long bytesPerStep, Action<TimeSpan>? check = null)
    {
        TimeSpan now = from;
        for (; now < from + duration; now += Step)
        {
            meter.Add(bytesPerStep, now);
            check?.Invoke(now + Step / 2);
        }

        return now;
    }

    [Fact]
    public void Converges_to_a_steady_rate_and_stays_there()
    {
        var meter = new RateMeter();

        Feed(meter, TimeSpan.Zero, TimeSpan.FromSeconds(30), 10_000, now =>
        {
            if (now > TimeSpan.FromSeconds(1))
            {
                Assert.InRange(meter.Rate(now), 95_000, 105_000);
            }
        });

        Assert.Equal(3_000_000, meter.Total);
    }

    [Fact]
    public void Follows_a_change_of_rate_within_the_window()
    {
        var meter = new RateMeter();
        TimeSpan now = Feed(meter, TimeSpan.Zero, TimeSpan.FromSeconds(20), 10_000);

        now = Feed(meter, now, TimeSpan.FromSeconds(meter.WindowSeconds + 1), 50_000);

        Assert.InRange(meter.Rate(now), 475_000, 525_000);
    }

    [Fact]
    public void Falls_to_zero_when_the_transfer_stops()
    {
        var meter = new RateMeter();
        TimeSpan now = Feed(meter, TimeSpan.Zero, TimeSpan.FromSeconds(10), 10_000);

        Assert.InRange(meter.Rate(now + TimeSpan.FromSeconds(2)), 1, 100_000);
        Assert.Equal(0, meter.Rate(now + TimeSpan.FromSeconds(meter.WindowSeconds + 1)));
        Assert.Equal(0, new RateMeter().Rate(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void One_early_block_does_not_read_as_a_huge_rate()
    {
        var meter = new RateMeter();
        meter.Add(16_384, TimeSpan.FromSeconds(100));

        Assert.Equal(16_384, meter.Rate(TimeSpan.FromSeconds(100.01)));
    }

    [Fact]
    public void Adding_allocates_nothing()
    {
        var meter = new RateMeter();
        meter.Add(1, TimeSpan.Zero);

        // The JIT may allocate on this thread the first time through (tiering up the loop); an allocation per
        // call would show in every pass, so the quietest of three passes must be zero.
        long quietest = Enumerable.Range(0, 3).Min(pass => BytesAllocatedBy(meter, pass));

        Assert.Equal(0, quietest);
    }

    private static long BytesAllocatedBy(RateMeter meter, int pass)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            TimeSpan now = TimeSpan.FromMilliseconds(((pass * 10_000) + i) * 7);
            meter.Add(16_384, now);
            meter.Rate(now);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
