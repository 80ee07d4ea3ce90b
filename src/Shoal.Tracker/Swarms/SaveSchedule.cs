namespace Shoal.Tracker.Swarms;

/// <summary>
/// When the live peers are saved next: at the housekeeping tick (every <see cref="MemorySwarmStore.SavePeriod"/>), unless
/// the last save was slow. Saving takes at most a tenth of the time: after a save that took T, the next waits until 10 T
/// after its start, and never more than <see cref="LongestWait"/>. A flood of new peers (a fill of a million, or a
/// tracker's first minutes after a restart) changes nearly every swarm between two ticks, and saving every one of them
/// each tick was a third of the tracker's CPU during the fill; waiting longer writes each swarm once for several of its
/// changes. Only then does a crash lose more than the peers new since the last tick.
/// </summary>
public sealed class SaveSchedule(TimeProvider time)
{
    public const int DutyDivisor = 10;

    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    private long _next = long.MinValue;

    /// <summary>Whether a save is due at <paramref name="now"/>, a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public bool IsDue(long now) => now >= _next;

    /// <summary>Records a save that ran from <paramref name="started"/> to <paramref name="ended"/> (timestamps).</summary>
    public void Saved(long started, long ended)
    {
        long longest = (long)(LongestWait.TotalSeconds * time.TimestampFrequency);
        _next = started + Math.Min((ended - started) * DutyDivisor, longest);
    }
}
