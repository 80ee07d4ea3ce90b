namespace Shoal.Discovery.Trackers;

/// <summary>
/// When to announce again after a tracker's answer: the regular announce after its
/// <c>interval</c> (BEP 3), and an announce asked for by the user not before its <c>min interval</c>.
/// An interval below <see cref="MinimumInterval"/> (or missing) is raised to it, so that a tracker
/// cannot make the client announce in a loop.
/// </summary>
public sealed class AnnounceInterval
{
    /// <summary>The shortest regular interval honoured.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private long _announcedAt;
    private TimeSpan _interval;
    private TimeSpan _minInterval;
    private bool _announced;

    /// <summary>Times announces on <paramref name="time"/>'s clock.</summary>
    public AnnounceInterval(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>The interval between regular announces the last answer asked for, after bounds.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>The shortest wait before an announce the user asks for, after the last answer.</summary>
    public TimeSpan MinInterval => _minInterval;

    /// <summary>Records a successful answer received now.</summary>
    public void OnResponse(AnnounceResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        TimeSpan interval = TimeSpan.FromSeconds(Math.Max(response.Interval, 0));
        TimeSpan minInterval = TimeSpan.FromSeconds(Math.Max(response.MinInterval ?? 0, 0));
        _minInterval = minInterval;
        _interval = interval < MinimumInterval ? MinimumInterval : interval;
        if (_interval < _minInterval)
        {
            _interval = _minInterval;
        }

        _announcedAt = _time.GetTimestamp();
        _announced = true;
    }

    /// <summary>How long until the next regular announce is due; zero when it is due (or none was made).</summary>
    public TimeSpan UntilNextAnnounce => Remaining(_interval);

    /// <summary>How long until a manual re-announce is allowed (<c>min interval</c>); zero when it is.</summary>
    public TimeSpan UntilManualAnnounce => Remaining(_minInterval);

    /// <summary>Whether a manual re-announce is allowed now.</summary>
    public bool CanAnnounceManually => UntilManualAnnounce == TimeSpan.Zero;

    private TimeSpan Remaining(TimeSpan wait)
    {
        if (!_announced)
        {
            return TimeSpan.Zero;
        }

        TimeSpan left = wait - _time.GetElapsedTime(_announcedAt);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
