namespace Shoal.Discovery.Trackers;

/// <summary>
/// Timing of a <see cref="UdpTrackerClient"/>. The defaults are BEP 15's: a request is sent again
/// after 15 · 2<sup>n</sup> seconds, n from 0 to 8, and a connection id is used for one minute.
/// </summary>
public sealed record UdpTrackerOptions
{
    /// <summary>The BEP 15 defaults.</summary>
    public static UdpTrackerOptions Default { get; } = new();

    /// <summary>How long the first attempt waits for an answer; each retransmission waits twice as long as the one before.</summary>
    public TimeSpan BaseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How many times one request (connect, announce or scrape) is sent before giving up; BEP 15 goes up to n = 8, nine sends.</summary>
    public int MaxAttempts { get; init; } = 9;

    /// <summary>How long a connection id is used after it was received (BEP 15: one minute for the client).</summary>
    public TimeSpan ConnectionIdLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long resolving the tracker's host name may take.</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
