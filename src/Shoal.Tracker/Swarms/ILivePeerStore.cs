namespace Shoal.Tracker.Swarms;

/// <summary>Where a tracker that keeps its peers in memory saves them, so that a restart does not lose them.</summary>
public interface ILivePeerStore
{
    Task<IReadOnlyList<SavedSwarm>> LoadPeersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, forgets the swarms left <paramref name="emptied"/>, then saves each of the
    /// <paramref name="changed"/> ones in place of what was saved for it; other swarms stay as saved.
    /// <paramref name="changed"/> copies each swarm as it is enumerated: enumerate it once.
    /// </summary>
    Task SavePeersAsync(IEnumerable<SavedSwarm> changed, IReadOnlyList<InfoHashKey> emptied, CancellationToken cancellationToken);
}
