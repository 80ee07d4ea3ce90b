using Microsoft.Extensions.Logging;
using Shoal.Tracker.Logging;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Swarms for a single tracker: peers in memory (they re-announce within an interval, so a restart
/// loses little), finished-download counts written to a durable store in batches and on shutdown.
/// </summary>
public sealed class MemorySwarmStore : ISwarmStore, ISwarmTotals
{
    private static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(5);

    private readonly SwarmTable _table = new();
    private readonly CompletedCounts _completed;
    private readonly ICompletedCountStore _durable;
    private readonly TimeSpan _peerTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _housekeeping;

    private MemorySwarmStore(CompletedCounts completed, ICompletedCountStore durable, TimeSpan peerTimeout, TimeProvider time, ILogger logger)
    {
        _completed = completed;
        _durable = durable;
        _peerTimeout = peerTimeout;
        _time = time;
        _logger = logger;
        _housekeeping = HousekeepAsync(_stop.Token);
    }

    public int SwarmCount => _table.SwarmCount;

    public int PeerCount => _table.PeerCount;

    /// <summary>Loads the stored counts and starts expiring peers and writing counts in the background.</summary>
    public static async Task<MemorySwarmStore> OpenAsync(ICompletedCountStore durable, TimeSpan peerTimeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        IReadOnlyDictionary<InfoHashKey, long> stored = await durable.LoadCompletedAsync(cancellationToken).ConfigureAwait(false);
        return new MemorySwarmStore(new CompletedCounts(stored), durable, peerTimeout, time, logger);
    }

    public ValueTask<AnnounceAnswer> AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken)
    {
        long expiresAt = _time.GetUtcNow().Add(_peerTimeout).ToUnixTimeSeconds();
        (bool finished, int seeders, int leechers, byte[] peers4, byte[] peers6) = _table.Announce(announcement, expiresAt);
        long completed = finished ? _completed.Increment(announcement.InfoHash) : _completed.Get(announcement.InfoHash);
        return ValueTask.FromResult(new AnnounceAnswer(new SwarmCounts(seeders, leechers, completed), peers4, peers6));
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
        _stop.Dispose();
    }

    private async Task HousekeepAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(FlushPeriod, _time);
        DateTimeOffset nextExpiry = _time.GetUtcNow() + ExpiryPeriod;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await FlushAsync(stop).ConfigureAwait(false);
                if (_time.GetUtcNow() >= nextExpiry)
                {
                    int expired = ExpirePeers();
                    TrackerLog.PeersExpired(_logger, expired, _table.SwarmCount);
                    nextExpiry = _time.GetUtcNow() + ExpiryPeriod;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
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
}
