using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery;

public sealed class AnnounceScheduleTests
{
    private static readonly AnnounceResponse Answer = new() { Interval = 1800, MinInterval = 60 };

    [Fact]
    public void Started_is_due_at_once_and_then_the_interval_is_waited()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);
        Assert.True(schedule.IsDue);
        Assert.Equal(AnnounceEvent.Started, schedule.NextEvent);
        Assert.False(schedule.HasStarted);

        schedule.OnAnswered(AnnounceEvent.Started, Answer with { TrackerId = "t1" });

        Assert.True(schedule.HasStarted);
        Assert.Equal("t1", schedule.TrackerId);
        Assert.Equal(AnnounceEvent.None, schedule.NextEvent);
        time.Advance(TimeSpan.FromSeconds(1799));
        Assert.False(schedule.IsDue);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(schedule.IsDue);
    }

    [Fact]
    public void Failures_back_off_from_15_seconds_doubling_up_to_the_interval_and_keep_the_event()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 10; i++)
        {
            schedule.OnFailed();
            waits.Add(schedule.NextAnnounce - time.GetUtcNow());
        }

        Assert.Equal([15, 30, 60, 120, 240, 480, 960, 1800, 1800, 1800], waits.Select(w => w.TotalSeconds));
        Assert.Equal(AnnounceEvent.Started, schedule.NextEvent);
        Assert.False(schedule.HasStarted);
    }

    [Fact]
    public void After_an_answer_the_back_off_starts_again_and_stops_at_its_interval()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);
        schedule.OnFailed();
        schedule.OnFailed();
        schedule.OnAnswered(AnnounceEvent.Started, Answer with { Interval = 100 });

        schedule.OnFailed();
        Assert.Equal(TimeSpan.FromSeconds(15), schedule.NextAnnounce - time.GetUtcNow());
        for (int i = 0; i < 5; i++)
        {
            schedule.OnFailed();
        }

        Assert.Equal(TimeSpan.FromSeconds(100), schedule.NextAnnounce - time.GetUtcNow());
    }

    [Fact]
    public void Completed_is_due_at_once_and_sent_once()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);
        schedule.OnAnswered(AnnounceEvent.Started, Answer);

        schedule.OnDownloadCompleted();
        Assert.True(schedule.IsDue);
        Assert.Equal(AnnounceEvent.Completed, schedule.NextEvent);
        schedule.OnFailed();
        Assert.Equal(AnnounceEvent.Completed, schedule.NextEvent);
        schedule.OnAnswered(AnnounceEvent.Completed, Answer);

        Assert.Equal(AnnounceEvent.None, schedule.NextEvent);
        Assert.False(schedule.IsDue);
    }

    [Fact]
    public void Completed_arising_while_a_regular_announce_is_on_its_way_is_not_lost()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);
        schedule.OnAnswered(AnnounceEvent.Started, Answer);

        schedule.OnDownloadCompleted();
        schedule.OnAnswered(AnnounceEvent.None, Answer);

        Assert.Equal(AnnounceEvent.Completed, schedule.NextEvent);
        Assert.True(schedule.IsDue);
    }

    [Fact]
    public void A_download_that_finishes_before_started_is_answered_sends_completed_right_after()
    {
        var time = new ManualTimeProvider();
        var schedule = new AnnounceSchedule(time);

        schedule.OnDownloadCompleted();
        Assert.Equal(AnnounceEvent.Started, schedule.NextEvent);
        schedule.OnAnswered(AnnounceEvent.Started, Answer);

        Assert.Equal(AnnounceEvent.Completed, schedule.NextEvent);
        Assert.True(schedule.IsDue);
        schedule.OnAnswered(AnnounceEvent.Completed, Answer);
        Assert.Equal(AnnounceEvent.None, schedule.NextEvent);
        Assert.False(schedule.IsDue);
    }
}
