using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Protocol;

/// <summary>The answer to an announce: a swarm's answer, or a reason the tracker refuses (BEP 3 <c>failure reason</c>).</summary>
internal readonly record struct AnnounceOutcome(AnnounceAnswer? Answer, string? FailureReason)
{
    public static AnnounceOutcome Refused(string reason) => new(null, reason);
}
