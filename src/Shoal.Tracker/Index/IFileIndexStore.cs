using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Index;

/// <summary>The durable list of torrents registered with the tracker.</summary>
public interface IFileIndexStore
{
    /// <summary>
    /// Stores the torrent, registered by the user <paramref name="registeredBy"/> (null: anonymously, on a tracker
    /// open to anyone), unless one with the same info-hashes is there or one of its swarms is a group's (decided in
    /// the same transaction as a group's share would be); returns the stored one and what became of the request.
    /// </summary>
    Task<(StoredTorrent Torrent, Registration Outcome)> RegisterAsync(StoredTorrent torrent, long? registeredBy, CancellationToken cancellationToken);

    /// <summary>How many torrents the user <paramref name="userId"/> has registered.</summary>
    Task<long> CountRegisteredByAsync(long userId, CancellationToken cancellationToken);

    /// <summary>
    /// Registered torrents whose name contains <paramref name="search"/> (case-insensitive; all when
    /// null), newest first, skipping <paramref name="offset"/>; with the count of all that match.
    /// </summary>
    Task<(long Total, IReadOnlyList<TorrentListing> Torrents)> SearchAsync(string? search, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>The registered torrent that clients announce as <paramref name="swarm"/>, if any.</summary>
    Task<StoredTorrent?> FindAsync(InfoHashKey swarm, CancellationToken cancellationToken);
}
