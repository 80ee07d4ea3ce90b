namespace Shoal.Tracker.Swarms;

/// <summary>A swarm's scrape figures (BEP 48): seeders, leechers and finished downloads.</summary>
public readonly record struct SwarmCounts(int Seeders, int Leechers, long Completed);
