using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// A tracker's answer to an HTTP scrape (BEP 48): numbers per 20-byte info-hash, or a failure reason.
/// </summary>
public sealed record ScrapeResponse
{
    /// <summary>The swarms the tracker knows, by info-hash.</summary>
    public IReadOnlyDictionary<InfoHash, ScrapeStats> Files { get; init; } = new Dictionary<InfoHash, ScrapeStats>();

    /// <summary>Why the scrape failed (BEP 3 <c>failure reason</c>).</summary>
    public string? FailureReason { get; init; }
}
