namespace Shoal.Net.WebSeeds;

/// <summary>
/// When a web seed may be tried again: at once until it fails, then after <see cref="FirstDelay"/>, doubling with
/// each failure in a row up to <see cref="MaxDelay"/>; a web seed that delivered data starts from the first delay
/// again. A discarded one (it served bad data) is never tried again. Sans-I/O: the caller passes the time.
/// </summary>
public sealed class WebSeedBackoff
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);

    private TimeSpan _delay = FirstDelay;

    /// <summary>When it may be tried again, if it must wait.</summary>
    public TimeSpan? RetryAt { get; private set; }

    public int FailuresInARow { get; private set; }

    public bool IsDiscarded { get; private set; }

    public bool IsDue(TimeSpan now) => !IsDiscarded && (RetryAt is not { } at || now >= at);

    public void Failed(TimeSpan now)
    {
        FailuresInARow++;
        RetryAt = now + _delay;
        _delay = _delay * 2 > MaxDelay ? MaxDelay : _delay * 2;
    }

    /// <summary>It served data: its next failure waits the first delay again.</summary>
    public void Delivered()
    {
        FailuresInARow = 0;
        _delay = FirstDelay;
    }

    public void Discard() => IsDiscarded = true;
}
