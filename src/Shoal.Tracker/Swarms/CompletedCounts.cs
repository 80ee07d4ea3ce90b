namespace Shoal.Tracker.Swarms;

/// <summary>
/// Finished downloads per swarm in memory, with the increments not yet written to the store kept
/// apart so they can be written in batches.
/// </summary>
internal sealed class CompletedCounts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<InfoHashKey, long> _totals;
    private Dictionary<InfoHashKey, long> _pending = [];

    public CompletedCounts(IReadOnlyDictionary<InfoHashKey, long> stored) => _totals = new(stored);

    public long Get(InfoHashKey infoHash)
    {
        lock (_lock)
        {
            return _totals.GetValueOrDefault(infoHash);
        }
    }

    public long Increment(InfoHashKey infoHash)
    {
        lock (_lock)
        {
            _pending[infoHash] = _pending.GetValueOrDefault(infoHash) + 1;
            long total = _totals.GetValueOrDefault(infoHash) + 1;
            _totals[infoHash] = total;
            return total;
        }
    }

    /// <summary>The increments since the last call, which the caller now owns.</summary>
    public Dictionary<InfoHashKey, long> TakePending()
    {
        lock (_lock)
        {
            Dictionary<InfoHashKey, long> pending = _pending;
            _pending = [];
            return pending;
        }
    }

    /// <summary>Puts back increments that could not be written, to be tried again.</summary>
    public void ReturnPending(IReadOnlyDictionary<InfoHashKey, long> increments)
    {
        lock (_lock)
        {
            foreach ((InfoHashKey infoHash, long count) in increments)
            {
                _pending[infoHash] = _pending.GetValueOrDefault(infoHash) + count;
            }
        }
    }
}
