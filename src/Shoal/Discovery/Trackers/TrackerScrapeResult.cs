namespace Shoal.Discovery.Trackers;

/// <summary>What one tracker said to a scrape of one torrent.</summary>
/// <param name="Tracker">The tracker's URL.</param>
/// <param name="Stats">The swarm's numbers; <see langword="null"/> when the scrape failed or the tracker does not know the torrent.</param>
/// <param name="Error">Why the scrape failed, or that the tracker does not know the torrent.</param>
public sealed record TrackerScrapeResult(Uri Tracker, ScrapeStats? Stats, string? Error);
