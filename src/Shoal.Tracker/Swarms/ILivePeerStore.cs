namespace Shoal.Tracker.Swarms;

/// <summary>Where a tracker that keeps its peers in memory saves them, so that a restart does not lose them.</summary>
public interface ILivePeerStore
{
    Task<IReadOnlyList<SavedSwarm>> LoadPeersAsync(CancellationToken cancellationToken);

    /// <summary>Replaces every saved peer with <paramref name="swarms"/>, in one transaction.</summary>
    Task SavePeersAsync(IReadOnlyList<SavedSwarm> swarms, CancellationToken cancellationToken);
}
