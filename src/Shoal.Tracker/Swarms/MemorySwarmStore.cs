using Microsoft.Extensions.Logging;
using Shoal.Tracker.Logging;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Swarms for a single tracker: peers in memory, saved with their expiry every few seconds and on
/// shutdown and restored at start, so that a restart, even a crash, does not empty the swarms;
/// finished-download counts written to a durable store in batches and on shutdown.
/// </summary>
public sealed class MemorySwarmStore : ISwarmStore, ISwarmTotals
{
    private static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often counts and peers are written: a crash loses at most the peers new in this time.</summary>
    public static readonly TimeSpan SavePeriod = TimeSpan.FromSeconds(5);

    private readonly SwarmTable _table;
    private readonly CompletedCounts _completed;
    private readonly ICompletedCountStore _durable;
    private readonly ILivePeerStore _saved;
    private readonly TimeSpan _peerTimeout;
    private readonly TimeSpan _refreshPeriod;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _housekeeping;

    private MemorySwarmStore(CompletedCounts completed, ICompletedCountStore durable, ILivePeerStore saved, TimeSpan peerTimeout, PeerCaps caps, TimeProvider time, ILogger logger)
    {
        _table = new SwarmTable(caps, completed);
        _completed = completed;
        _durable = durable;
        _saved = saved;
        _peerTimeout = peerTimeout;
        _refreshPeriod = RefreshPeriod(peerTimeout);
        _time = time;
        _logger = logger;
        _housekeeping = HousekeepAsync(_stop.Token);
    }

    public int SwarmCount => _table.SwarmCount;

    /// <summary>
    /// How often swarms whose peers only announced again are saved: an eighth of the peer timeout. The
    /// timeout is at least one and a half announce intervals, so a saved expiry this much behind still
    /// outlasts the peer's next announce, and a restart keeps every peer that keeps announcing.
    /// </summary>
    public static TimeSpan RefreshPeriod(TimeSpan peerTimeout) => peerTimeout / 8;

    public int PeerCount => _table.PeerCount;

    /// <summary>The peers brought back from the last save at start; 0 after a first start or when all had expired.</summary>
    public int RestoredPeers { get; private set; }

    /// <summary>
    /// Loads the stored counts and the saved peers that have not expired (within <paramref name="caps"/>),
    /// and starts expiring peers and writing counts and peers in the background.
    /// </summary>
    public static async Task<MemorySwarmStore> OpenAsync(
        ICompletedCountStore durable, ILivePeerStore saved, TimeSpan peerTimeout, PeerCaps caps, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        ArgumentNullException.ThrowIfNull(saved);
        IReadOnlyDictionary<InfoHashKey, long> stored = await durable.LoadCompletedAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SavedSwarm> swarms = await saved.LoadPeersAsync(cancellationToken).ConfigureAwait(false);
        var store = new MemorySwarmStore(new CompletedCounts(stored), durable, saved, peerTimeout, caps, time, logger);
        (store.RestoredPeers, int refused) = store._table.Restore(swarms, time.GetUtcNow().ToUnixTimeSeconds(), peerTimeout);
        TrackerLog.PeersRestored(logger, store.RestoredPeers, store._table.SwarmCount);
        if (refused > 0)
        {
            TrackerLog.PeersLeftOut(logger, refused);
        }

        return store;
    }

    public ValueTask<AnnounceAnswer> AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken)
    {
        long expiresAt = _time.GetUtcNow().Add(_peerTimeout).ToUnixTimeSeconds();
        TableAnswer answer = _table.Announce(announcement, expiresAt);
        if (answer.Refusal is { } refusal)
        {
            return ValueTask.FromResult(AnnounceAnswer.Refused(refusal));
        }

        return ValueTask.FromResult(new AnnounceAnswer(new SwarmCounts(answer.Seeders, answer.Leechers, answer.Completed), answer.Peers4, answer.Peers6));
    }

    public ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        var counts = new SwarmCounts[infoHashes.Count];
        for (int i = 0; i < counts.Length; i++)
        {
            (int seeders, int leechers) = _table.Counts(infoHashes[i]);
            counts[i] = new SwarmCounts(seeders, leechers, _completed.Get(infoHashes[i]));
        }

        return ValueTask.FromResult<IReadOnlyList<SwarmCounts>>(counts);
    }

    /// <summary>Drops peers that stopped announcing, as the background sweep does every minute.</summary>
    public int ExpirePeers() => _table.Expire(_time.GetUtcNow().ToUnixTimeSeconds());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _housekeeping.ConfigureAwait(false);
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        // The last save writes every expiry as it is.
        _table.MarkRefreshed();
        await SavePeersAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task HousekeepAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SavePeriod, _time);
        DateTimeOffset nextExpiry = _time.GetUtcNow() + ExpiryPeriod;
        DateTimeOffset nextRefresh = _time.GetUtcNow() + _refreshPeriod;
        var saves = new SaveSchedule(_time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (_time.GetUtcNow() >= nextRefresh)
                {
                    _table.MarkRefreshed();
                    nextRefresh = _time.GetUtcNow() + _refreshPeriod;
                }

                await FlushAsync(stop).ConfigureAwait(false);
                if (saves.IsDue(_time.GetTimestamp()))
                {
                    long started = _time.GetTimestamp();
                    await SavePeersAsync(stop).ConfigureAwait(false);
                    saves.Saved(started, _time.GetTimestamp());
                }

                if (_time.GetUtcNow() >= nextExpiry)
                {
                    int expired = ExpirePeers();
                    TrackerLog.PeersExpired(_logger, expired, _table.SwarmCount);
                    ReportRefusals();
                    nextExpiry = _time.GetUtcNow() + ExpiryPeriod;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    // Once a minute rather than per refusal: a flood at a cap would otherwise be a flood of log lines.
    private void ReportRefusals()
    {
        (long total, long perSwarm, long perAddress) = _table.TakeRefusals();
        if (total + perSwarm + perAddress > 0)
        {
            TrackerLog.PeersRefused(_logger, total, perSwarm, perAddress, _table.PeerCount);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<InfoHashKey, long> pending = _completed.TakePending();
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await _durable.AddCompletedAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Kept for the next flush (the last one runs at shutdown), not lost.
            _completed.ReturnPending(pending);
            if (e is OperationCanceledException)
            {
                throw;
            }

            TrackerLog.StoreWriteFailed(_logger, e);
        }
    }

    /// <summary>
    /// Writes the swarms recorded to since the last save (each copied under its own lock as it is written) and forgets
    /// those left empty, off the announce path; nothing when nothing changed. Expiry alone needs no save
    /// (expired peers are not restored).
    /// </summary>
    private async Task SavePeersAsync(CancellationToken cancellationToken)
    {
        (List<InfoHashKey> changed, List<InfoHashKey> emptied) = _table.TakeChanges();
        if (changed.Count + emptied.Count == 0)
        {
            return;
        }

        // In key order, the order of the store's index, so that a save of many swarms walks the index's pages in
        // turn, each read and written once, instead of at random through a page cache far smaller than the table.
        changed.Sort(static (a, b) => a.Value.CompareTo(b.Value));
        emptied.Sort(static (a, b) => a.Value.CompareTo(b.Value));

        try
        {
            int peers = 0;
            IEnumerable<SavedSwarm> counted = _table.Copies(changed).Select(swarm =>
            {
                peers += swarm.Count;
                return swarm;
            });
            await _saved.SavePeersAsync(counted, emptied, cancellationToken).ConfigureAwait(false);
            TrackerLog.PeersSaved(_logger, peers, changed.Count, emptied.Count);
        }
        catch (Exception e)
        {
            // The next tick (or the last save, at shutdown) writes them again.
            _table.ReturnChanges(changed, emptied);
            if (e is OperationCanceledException)
            {
                throw;
            }

            TrackerLog.StoreWriteFailed(_logger, e);
        }
    }
}
