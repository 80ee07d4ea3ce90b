namespace Shoal.Tracker.Metrics;

/// <summary>How the tracker answered an announce, as the <c>result</c> tag of the announce counter names it.</summary>
internal enum AnnounceResult
{
    /// <summary>Answered with the swarm's counts and peers.</summary>
    Ok,

    /// <summary>A well-formed announce the tracker would not serve: over the rate limit, closed tracker, not a group member, a peer cap.</summary>
    Refused,

    /// <summary>A request the tracker could not read: a bad field, an unknown UDP connection id.</summary>
    Error,
}
