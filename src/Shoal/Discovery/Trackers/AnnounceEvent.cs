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

    /// <summary>
    /// BEP 21: a regular announce of a partial seed (it has every piece of the files it chose, not every piece),
    /// sent in every announce while it is one, so a tracker does not count it as a seed. BEP 15 has no code for
    /// it: over UDP it is sent as none.
    /// </summary>
    Paused,
}
