namespace Shoal.Tracker.Swarms;

/// <summary>Durable finished-download counts for a tracker that keeps its peers in memory.</summary>
public interface ICompletedCountStore
{
    Task<IReadOnlyDictionary<InfoHashKey, long>> LoadCompletedAsync(CancellationToken cancellationToken);

    /// <summary>Adds each increment to its swarm's stored count, all in one transaction.</summary>
    Task AddCompletedAsync(IReadOnlyDictionary<InfoHashKey, long> increments, CancellationToken cancellationToken);
}
