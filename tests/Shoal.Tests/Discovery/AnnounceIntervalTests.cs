using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery;

public sealed class AnnounceIntervalTests
{
    [Fact]
    public void Before_any_answer_an_announce_is_due()
    {
        var interval = new AnnounceInterval(new ManualTimeProvider());

        Assert.Equal(TimeSpan.Zero, interval.UntilNextAnnounce);
        Assert.True(interval.CanAnnounceManually);
    }

    [Fact]
    public void The_next_announce_follows_interval_and_a_manual_one_min_interval()
    {
        var time = new ManualTimeProvider();
        var interval = new AnnounceInterval(time);
        interval.OnResponse(new AnnounceResponse { Interval = 1800, MinInterval = 300 });

        time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(1700), interval.UntilNextAnnounce);
        Assert.Equal(TimeSpan.FromSeconds(200), interval.UntilManualAnnounce);
        Assert.False(interval.CanAnnounceManually);

        time.Advance(TimeSpan.FromSeconds(200));
        Assert.True(interval.CanAnnounceManually);
        Assert.Equal(TimeSpan.FromSeconds(1500), interval.UntilNextAnnounce);

        time.Advance(TimeSpan.FromSeconds(2000));
        Assert.Equal(TimeSpan.Zero, interval.UntilNextAnnounce);
    }

    [Theory]
    [InlineData(0, null, 60)]
    [InlineData(5, null, 60)]
    [InlineData(-1, null, 60)]
    [InlineData(100, 600, 600)]
    [InlineData(900, 120, 900)]
    public void Intervals_are_bounded(int seconds, int? minSeconds, int expected)
    {
        var interval = new AnnounceInterval(new ManualTimeProvider());
        interval.OnResponse(new AnnounceResponse { Interval = seconds, MinInterval = minSeconds });

        Assert.Equal(TimeSpan.FromSeconds(expected), interval.Interval);
        Assert.Equal(TimeSpan.FromSeconds(expected), interval.UntilNextAnnounce);
    }
}
