namespace Shoal.Tracker.Swarms;

/// <summary>
/// Where swarms live: the peers of every info-hash, who expire when they stop announcing, and the
/// count of finished downloads, which outlives restarts. In memory for one tracker; in PostgreSQL
/// when several tracker instances serve the same swarms.
/// </summary>
public interface ISwarmStore : IAsyncDisposable
{
    /// <summary>
    /// Records the announce (a stopped peer leaves; <c>completed</c> counts once per peer that was
    /// not already a seeder) and returns the counts and up to <see cref="PeerAnnouncement.NumWant"/>
    /// other peers in random order; a seeder is given only leechers.
    /// </summary>
    ValueTask<AnnounceAnswer> AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken);

    /// <summary>The counts of each swarm, in the order asked; unknown swarms count zero.</summary>
    ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, CancellationToken cancellationToken);
}
