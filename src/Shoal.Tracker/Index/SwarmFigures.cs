using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Index;

/// <summary>The swarm figures shown beside stored torrents, in the public index and in groups.</summary>
internal static class SwarmFigures
{
    // A hybrid torrent is announced in two swarms (v1 and truncated v2), often by the same peers:
    // the larger figure of the two is shown rather than a sum that counts such peers twice.
    public static async Task<IReadOnlyList<SwarmCounts>> OfAsync(ISwarmStore swarms, IReadOnlyList<TorrentListing> torrents, CancellationToken cancellationToken)
    {
        InfoHashKey[] keys = [.. torrents.SelectMany(torrent => torrent.SwarmKeys)];
        IReadOnlyList<SwarmCounts> counts = await swarms.ScrapeAsync(keys, cancellationToken).ConfigureAwait(false);
        var figures = new SwarmCounts[torrents.Count];
        int next = 0;
        for (int t = 0; t < torrents.Count; t++)
        {
            SwarmCounts best = default;
            for (int i = 0; i < torrents[t].SwarmKeys.Count; i++, next++)
            {
                SwarmCounts swarm = counts[next];
                best = new SwarmCounts(Math.Max(best.Seeders, swarm.Seeders), Math.Max(best.Leechers, swarm.Leechers), Math.Max(best.Completed, swarm.Completed));
            }

            figures[t] = best;
        }

        return figures;
    }
}
