namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// A deterministic event loop on virtual time: links and nodes schedule work, and <see cref="RunUntil"/>
/// runs it in time order, moving the clock from event to event.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly PriorityQueue<Action, (TimeSpan Due, long Order)> _events = new();
    private long _order;

    public VirtualClock Time { get; } = new();

    public TimeSpan Now => Time.Elapsed;

    /// <summary>Events run so far: the simulation's work, whatever the machine's speed.</summary>
    public long EventsRun { get; private set; }

    public void Schedule(TimeSpan delay, Action action) => _events.Enqueue(action, (Now + delay, _order++));

    /// <summary>Runs events until <paramref name="done"/> holds; false if the virtual deadline passed first.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan deadline)
    {
        while (!done())
        {
            if (!Step(deadline))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs whatever falls due in the next <paramref name="duration"/>.</summary>
    public void RunFor(TimeSpan duration)
    {
        TimeSpan until = Now + duration;
        while (Step(until))
        {
        }

        Time.MoveTo(until);
    }

    private bool Step(TimeSpan until)
    {
        if (!_events.TryPeek(out _, out var when) || when.Due > until)
        {
            return false;
        }

        Action action = _events.Dequeue();
        if (when.Due > Now)
        {
            Time.MoveTo(when.Due);
        }

        EventsRun++;
        action();
        return true;
    }
}
