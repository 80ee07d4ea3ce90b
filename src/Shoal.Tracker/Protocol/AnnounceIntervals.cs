using Shoal.Tracker.Configuration;

namespace Shoal.Tracker.Protocol;

/// <summary>
/// The <c>interval</c> and <c>min interval</c> an announce is answered with. After a start with no
/// peers (a first start, or the saved peers lost), everyone who announces is asked back after
/// <see cref="RefillInterval"/> until one whole announce interval has passed, by when every client
/// of before has announced again: whoever joins meanwhile finds the others within a minute instead
/// of at their next announce, up to an interval later.
/// </summary>
internal sealed class AnnounceIntervals
{
    public static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(30);

    private readonly int _interval;
    private readonly int _minInterval;
    private readonly int _refill;
    private readonly TimeProvider _time;
    private volatile bool _refilling;

    public AnnounceIntervals(TrackerOptions options, bool startedEmpty, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _interval = (int)options.AnnounceInterval.TotalSeconds;
        _minInterval = (int)options.MinAnnounceInterval.TotalSeconds;
        _refill = Math.Min(_interval, (int)RefillInterval.TotalSeconds);
        _time = time;
        RefillUntil = startedEmpty ? time.GetUtcNow() + options.AnnounceInterval : null;
        _refilling = startedEmpty;
    }

    /// <summary>Until when the short interval is handed out; null when the start restored peers.</summary>
    public DateTimeOffset? RefillUntil { get; }

    public int RefillSeconds => _refill;

    public int IntervalSeconds => Refilling ? _refill : _interval;

    public int MinIntervalSeconds => Refilling ? Math.Min(_refill, _minInterval) : _minInterval;

    // The clock is read only while refilling: afterwards an announce pays for a field read.
    private bool Refilling => _refilling && (_refilling = _time.GetUtcNow() < RefillUntil);
}
