using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>The durable side of a <see cref="MemorySwarmStore"/>, in memory: what was saved, and when.</summary>
internal sealed class RecordingStore : ICompletedCountStore, ILivePeerStore
{
    public Dictionary<InfoHashKey, long> Stored { get; } = [];

    private readonly Dictionary<InfoHashKey, SavedSwarm> _saved = [];

    public IReadOnlyList<SavedSwarm> Peers => [.. _saved.Values];

    /// <summary>Every save, as the numbers of swarms it wrote and forgot.</summary>
    public List<(int Written, int Forgotten)> Saves { get; } = [];

    /// <summary>The swarms the saves wrote, in the order they were handed over.</summary>
    public List<InfoHashKey> WriteOrder { get; } = [];

    public TaskCompletionSource PeersSaved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<SavedSwarm>> LoadPeersAsync(CancellationToken cancellationToken) => Task.FromResult(Peers);

    public Task SavePeersAsync(IEnumerable<SavedSwarm> changed, IReadOnlyList<InfoHashKey> emptied, CancellationToken cancellationToken)
    {
        foreach (InfoHashKey swarm in emptied)
        {
            _saved.Remove(swarm);
        }

        int written = 0;
        foreach (SavedSwarm swarm in changed)
        {
            _saved[swarm.InfoHash] = swarm;
            WriteOrder.Add(swarm.InfoHash);
            written++;
        }

        Saves.Add((written, emptied.Count));
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
