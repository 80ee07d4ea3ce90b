namespace Shoal.Discovery.Trackers;

/// <summary>
/// One swarm's numbers in a scrape (BEP 48 <c>complete</c>, <c>downloaded</c>, <c>incomplete</c>;
/// BEP 15 seeders, completed, leechers).
/// </summary>
/// <param name="Complete">Peers that have the whole content (seeders).</param>
/// <param name="Downloaded">Peers that ever completed the download.</param>
/// <param name="Incomplete">Peers still downloading (leechers).</param>
public sealed record ScrapeStats(int Complete, int Downloaded, int Incomplete);
