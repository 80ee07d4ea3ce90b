using Shoal.Net.WebSeeds;

namespace Shoal.Tests.Net.WebSeeds;

public sealed class WebSeedBackoffTests
{
    [Fact]
    public void Failures_in_a_row_wait_30_s_doubling_up_to_10_min()
    {
        var backoff = new WebSeedBackoff();
        Assert.True(backoff.IsDue(TimeSpan.Zero));
        TimeSpan now = TimeSpan.FromSeconds(5);
        List<double> waits = [];
        for (int i = 0; i < 7; i++)
        {
            backoff.Failed(now);
            Assert.False(backoff.IsDue(backoff.RetryAt!.Value - TimeSpan.FromMilliseconds(1)));
            Assert.True(backoff.IsDue(backoff.RetryAt!.Value));
            waits.Add((backoff.RetryAt!.Value - now).TotalSeconds);
            now = backoff.RetryAt!.Value;
        }

        Assert.Equal([30, 60, 120, 240, 480, 600, 600], waits);
    }

    [Fact]
    public void Delivering_data_starts_the_waits_over_and_a_discarded_seed_is_never_due()
    {
        var backoff = new WebSeedBackoff();
        backoff.Failed(TimeSpan.Zero);
        backoff.Failed(TimeSpan.FromSeconds(30));
        backoff.Delivered();
        backoff.Failed(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(130), backoff.RetryAt);

        backoff.Discard();
        Assert.False(backoff.IsDue(TimeSpan.FromDays(1)));
    }
}
