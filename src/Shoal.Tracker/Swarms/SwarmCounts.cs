using Shoal.Discovery.Trackers;

namespace Shoal.Tracker.Swarms;

/// <summary>A swarm's scrape figures (BEP 48): seeders, leechers and finished downloads.</summary>
public readonly record struct SwarmCounts(int Seeders, int Leechers, long Completed)
{
    /// <summary>The figures in the protocol's 32-bit fields.</summary>
    public ScrapeStats ToScrapeStats() => new(Seeders, (int)Math.Min(Completed, int.MaxValue), Leechers);
}
