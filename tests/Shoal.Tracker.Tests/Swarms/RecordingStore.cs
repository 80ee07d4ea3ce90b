using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>The durable side of a <see cref="MemorySwarmStore"/>, in memory: what was saved, and when.</summary>
internal sealed class RecordingStore : ICompletedCountStore, ILivePeerStore
{
    public Dictionary<InfoHashKey, long> Stored { get; } = [];

    public IReadOnlyList<SavedSwarm> Peers { get; private set; } = [];

    public TaskCompletionSource PeersSaved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<SavedSwarm>> LoadPeersAsync(CancellationToken cancellationToken) => Task.FromResult(Peers);

    public Task SavePeersAsync(IReadOnlyList<SavedSwarm> swarms, CancellationToken cancellationToken)
    {
        Peers = swarms;
        PeersSaved.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<InfoHashKey, long>> LoadCompletedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<InfoHashKey, long>>(new Dictionary<InfoHashKey, long>(Stored));

    public Task AddCompletedAsync(IReadOnlyDictionary<InfoHashKey, long> increments, CancellationToken cancellationToken)
    {
        foreach ((InfoHashKey key, long count) in increments)
        {
            Stored[key] = Stored.GetValueOrDefault(key) + count;
        }

        return Task.CompletedTask;
    }
}
