namespace Shoal.Discovery.Trackers;

/// <summary>The answer of the tracker that succeeded in a <see cref="TrackerTiers"/> announce.</summary>
/// <param name="Tracker">The URL of the tracker that answered.</param>
/// <param name="Response">Its answer (never a failure reason).</param>
public sealed record TrackerAnnounceResult(Uri Tracker, AnnounceResponse Response);
