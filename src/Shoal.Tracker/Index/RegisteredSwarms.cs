using System.Collections.Concurrent;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Index;

/// <summary>
/// Whether a swarm belongs to a registered torrent, for closed mode, without a database query per
/// announce: registrations are remembered for good, unknown hashes for a few seconds (another
/// instance on the same database may register them meanwhile).
/// </summary>
internal sealed class RegisteredSwarms(IFileIndexStore index, TimeProvider time)
{
    private static readonly TimeSpan UnknownLifetime = TimeSpan.FromSeconds(10);
    private const int MaxUnknown = 100_000;

    private readonly ConcurrentDictionary<InfoHashKey, bool> _registered = new();
    private readonly ConcurrentDictionary<InfoHashKey, DateTimeOffset> _unknownUntil = new();

    public void Add(StoredTorrent torrent)
    {
        foreach (InfoHashKey swarm in torrent.SwarmKeys)
        {
            _registered[swarm] = true;
            _unknownUntil.TryRemove(swarm, out _);
        }
    }

    public async ValueTask<bool> ContainsAsync(InfoHashKey swarm, CancellationToken cancellationToken)
    {
        if (_registered.ContainsKey(swarm))
        {
            return true;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (_unknownUntil.TryGetValue(swarm, out DateTimeOffset until) && until > now)
        {
            return false;
        }

        StoredTorrent? torrent = await index.FindAsync(swarm, cancellationToken).ConfigureAwait(false);
        if (torrent is not null)
        {
            Add(torrent);
            return true;
        }

        if (_unknownUntil.Count >= MaxUnknown)
        {
            // Strangers can ask for any number of random hashes: forget rather than grow.
            _unknownUntil.Clear();
        }

        _unknownUntil[swarm] = now + UnknownLifetime;
        return false;
    }
}
