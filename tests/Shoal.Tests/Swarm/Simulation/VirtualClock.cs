namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// The simulation's clock: it moves only when the event loop moves it. Single-threaded and without timers (the swarm
/// is ticked by events), so reading it costs no lock: a thousand swarms read it millions of times a run.
/// </summary>
internal sealed class VirtualClock : TimeProvider
{
    private readonly DateTimeOffset _start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan Elapsed { get; private set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Elapsed.Ticks;

    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("simulated nodes are driven by the event loop, not by timers");

    public void MoveTo(TimeSpan elapsed)
    {
        if (elapsed < Elapsed)
        {
            throw new InvalidOperationException("virtual time does not run backwards");
        }

        Elapsed = elapsed;
    }
}
