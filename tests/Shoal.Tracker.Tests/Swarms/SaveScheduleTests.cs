using Shoal.Tests.Net;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>Saving the live peers takes at most a tenth of the tracker's time, however slow a save is.</summary>
public sealed class SaveScheduleTests
{
    private readonly ManualTimeProvider _time = new();

    private long At(double seconds) => (long)(seconds * _time.TimestampFrequency);

    [Fact]
    public void A_quick_save_leaves_the_next_tick_due()
    {
        var schedule = new SaveSchedule(_time);
        Assert.True(schedule.IsDue(At(5)));

        schedule.Saved(At(5), At(5.05));

        Assert.True(schedule.IsDue(At(10)));
    }

    [Fact]
    public void After_a_save_of_two_seconds_the_next_waits_until_twenty_seconds_after_its_start()
    {
        var schedule = new SaveSchedule(_time);

        schedule.Saved(At(5), At(7));

        Assert.False(schedule.IsDue(At(10)));
        Assert.False(schedule.IsDue(At(24.9)));
        Assert.True(schedule.IsDue(At(25)));
    }

    [Fact]
    public void However_slow_a_save_the_next_is_due_within_a_minute()
    {
        var schedule = new SaveSchedule(_time);

        schedule.Saved(At(0), At(30));

        Assert.False(schedule.IsDue(At(59)));
        Assert.True(schedule.IsDue(At(60)));
    }
}
