namespace Shoal.Tracker.Swarms;

/// <summary>What one announce did to a swarm: what a save must write, and whether it was a finished download.</summary>
[Flags]
internal enum Recorded
{
    /// <summary>Nothing: a stopped announce from a peer the swarm did not hold.</summary>
    None = 0,

    /// <summary>A known peer announced again as what it was: only its expiry moved.</summary>
    Refreshed = 1,

    /// <summary>A peer joined, left, or became a seeder or a leecher.</summary>
    Changed = 2,

    /// <summary><c>completed</c> from a peer not already known as a seeder.</summary>
    Finished = 4,
}
