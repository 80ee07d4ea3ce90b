namespace Shoal.Discovery.Trackers;

/// <summary>The <c>event</c> of an announce (BEP 3); <see cref="None"/> is a regular re-announce.</summary>
public enum AnnounceEvent
{
    /// <summary>No event: one of the announces done at regular intervals.</summary>
    None,

    /// <summary>The download has just begun.</summary>
    Started,

    /// <summary>The download has just completed (not sent when the content was complete at start).</summary>
    Completed,

    /// <summary>The peer is leaving the swarm.</summary>
    Stopped,
}
