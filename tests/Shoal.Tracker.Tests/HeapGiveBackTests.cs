namespace Shoal.Tracker.Tests;

/// <summary>When the tracker gives memory back: only when quiet, and only after much allocation since the last time.</summary>
public sealed class HeapGiveBackTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void A_quiet_tracker_after_much_allocation_collects()
    {
        Assert.True(HeapGiveBack.ShouldCollect(allocatedLastSecond: 100_000, allocatedSinceGiveBack: 200 * MiB));
    }

    [Fact]
    public void A_busy_tracker_does_not_collect()
    {
        Assert.False(HeapGiveBack.ShouldCollect(allocatedLastSecond: 50 * MiB, allocatedSinceGiveBack: 200 * MiB));
    }

    [Fact]
    public void Little_allocation_since_the_last_time_is_left_alone()
    {
        Assert.False(HeapGiveBack.ShouldCollect(allocatedLastSecond: 0, allocatedSinceGiveBack: 20 * MiB));
    }
}
