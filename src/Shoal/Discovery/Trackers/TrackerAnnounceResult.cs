namespace Shoal.Discovery.Trackers;

/// <summary>What one tracker of a <see cref="TrackerTier"/> said to an announce: its answer, or why it could not be used.</summary>
/// <param name="Tracker">The tracker's URL.</param>
/// <param name="Response">Its answer; never a failure reason, which is an <paramref name="Error"/>.</param>
/// <param name="Error">Why it failed: unreachable, silent, garbled, or its <c>failure reason</c>.</param>
public sealed record TrackerAnnounceResult(Uri Tracker, AnnounceResponse? Response, string? Error)
{
    /// <summary>How an <see cref="Error"/> that is the tracker's own <c>failure reason</c> begins: the tracker answered, and refused.</summary>
    public const string FailureReasonPrefix = "failure reason: ";
}
