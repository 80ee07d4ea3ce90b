namespace Shoal.Net.Utp;

/// <summary>Microseconds from a <see cref="TimeProvider"/>'s monotonic timestamp, as uTP's timers and timestamps count them.</summary>
internal sealed class UtpClock(TimeProvider time)
{
    private readonly double _microsecondsPerTick = 1_000_000.0 / time.TimestampFrequency;

    public TimeProvider Time { get; } = time;

    /// <summary>Monotonic microseconds; its low 32 bits are the <c>timestamp_microseconds</c> of the packets we send.</summary>
    public long Now => (long)(Time.GetTimestamp() * _microsecondsPerTick);
}
