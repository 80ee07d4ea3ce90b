namespace Shoal.Discovery.Trackers;

/// <summary>
/// When one tier announces next, and with which event (BEP 3): <c>started</c> first, repeated until a
/// tracker answers it; then regular announces every <c>interval</c> (bounded by
/// <see cref="AnnounceInterval"/>); <c>completed</c> at once when the download finishes, once. A tier
/// that failed retries after <see cref="FirstRetryDelay"/>, doubling with each failure up to the
/// tracker's interval. Times are read from the <see cref="TimeProvider"/>; nothing here does I/O.
/// </summary>
public sealed class AnnounceSchedule
{
    /// <summary>How long a tier waits after its first failure.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between retries before any tracker of the tier has given an interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(30);

    private readonly TimeProvider _time;
    private readonly AnnounceInterval _interval;
    private int _failures;
    private bool _completedWhileStarting;

    /// <summary>A schedule whose <c>started</c> announce is due now.</summary>
    public AnnounceSchedule(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _interval = new AnnounceInterval(time);
        NextAnnounce = time.GetUtcNow();
    }

    /// <summary>The event the next announce carries.</summary>
    public AnnounceEvent NextEvent { get; private set; } = AnnounceEvent.Started;

    /// <summary>When the next announce is due.</summary>
    public DateTimeOffset NextAnnounce { get; private set; }

    public bool IsDue => _time.GetUtcNow() >= NextAnnounce;

    /// <summary>Whether a tracker answered the <c>started</c> announce, so that it should hear <c>stopped</c>.</summary>
    public bool HasStarted { get; private set; }

    /// <summary>The <c>tracker id</c> the last answer gave, to echo as <c>trackerid</c>.</summary>
    public string? TrackerId { get; private set; }

    /// <summary>Records a tracker's answer to an announce that carried <paramref name="sent"/>.</summary>
    public void OnAnswered(AnnounceEvent sent, AnnounceResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _interval.OnResponse(response);
        _failures = 0;
        HasStarted = true;
        TrackerId = response.TrackerId ?? TrackerId;
        if (sent == NextEvent)
        {
            NextEvent = AnnounceEvent.None;
        }

        if (sent == AnnounceEvent.Started && _completedWhileStarting)
        {
            _completedWhileStarting = false;
            NextEvent = AnnounceEvent.Completed;
        }

        // An event that arose while this announce was on its way is not held back by the interval.
        NextAnnounce = _time.GetUtcNow() + (NextEvent == AnnounceEvent.None ? _interval.Interval : TimeSpan.Zero);
    }

    /// <summary>Records that no tracker of the tier answered: the same event is retried after a back-off.</summary>
    public void OnFailed()
    {
        TimeSpan cap = _interval.Interval > TimeSpan.Zero ? _interval.Interval : DefaultInterval;
        double factor = Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        TimeSpan delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, cap.Ticks));
        NextAnnounce = _time.GetUtcNow() + delay;
    }

    /// <summary>
    /// The download has just finished: <c>completed</c> is due now. A tier whose <c>started</c> has not been
    /// answered yet sends <c>completed</c> right after that answer (a download found through the DHT or
    /// local discovery can finish before the tracker has said anything).
    /// </summary>
    public void OnDownloadCompleted()
    {
        if (NextEvent == AnnounceEvent.None)
        {
            NextEvent = AnnounceEvent.Completed;
            NextAnnounce = _time.GetUtcNow();
        }
        else if (NextEvent == AnnounceEvent.Started)
        {
            _completedWhileStarting = true;
        }
    }
}
