using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage.Sql;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// The shared store: registered torrents, finished-download counts, accounts and groups, and the peers themselves in one
/// PostgreSQL database, so several tracker instances serve the same swarms (a peer that announced to
/// one is given out by the others).
/// </summary>
public sealed class PostgresTrackerStore : IFileIndexStore, ISwarmStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresFileIndex _index;
    private readonly PostgresSwarms _swarms;
    private readonly PostgresPeerSweeper _sweeper;
    private readonly PostgresPeerCensus _census;

    private PostgresTrackerStore(NpgsqlDataSource dataSource, TimeSpan peerTimeout, PeerCaps caps, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _index = new PostgresFileIndex(dataSource);
        _census = new PostgresPeerCensus(dataSource, caps.Total, time, logger);
        _swarms = new PostgresSwarms(dataSource, peerTimeout, caps, _census, time);
        _sweeper = new PostgresPeerSweeper(dataSource, time, logger);
        Accounts = new SqlAccountStore(async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false));
    }

    public IAccountStore Accounts { get; }

    /// <summary>
    /// Connects, brings the schema up to date and starts sweeping expired peers every minute and counting
    /// live ones every few seconds (for <see cref="PeerCaps.Total"/>).
    /// </summary>
    public static async Task<PostgresTrackerStore> OpenAsync(
        string connectionString, TimeSpan peerTimeout, PeerCaps caps, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        NpgsqlDataSource dataSource = PostgresStartup.CreateDataSource(connectionString);
        try
        {
            await PostgresStartup.PrepareAsync(dataSource, logger, cancellationToken).ConfigureAwait(false);
            return new PostgresTrackerStore(dataSource, peerTimeout, caps, time, logger);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<(StoredTorrent Torrent, Registration Outcome)> RegisterAsync(StoredTorrent torrent, long? registeredBy, CancellationToken cancellationToken) =>
        _index.RegisterAsync(torrent, registeredBy, cancellationToken);

    public Task<long> CountRegisteredByAsync(long userId, CancellationToken cancellationToken) =>
        _index.CountRegisteredByAsync(userId, cancellationToken);

    public Task<(long Total, IReadOnlyList<TorrentListing> Torrents)> SearchAsync(string? search, int offset, int limit, CancellationToken cancellationToken) =>
        _index.SearchAsync(search, offset, limit, cancellationToken);

    public Task<StoredTorrent?> FindAsync(InfoHashKey swarm, CancellationToken cancellationToken) =>
        _index.FindAsync(swarm, cancellationToken);

    public ValueTask<AnnounceAnswer> AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken) =>
        _swarms.AnnounceAsync(announcement, cancellationToken);

    public ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, CancellationToken cancellationToken) =>
        _swarms.ScrapeAsync(infoHashes, cancellationToken);

    /// <summary>Deletes expired peers now, as the background sweep does every minute; returns how many.</summary>
    public Task<int> ExpirePeersAsync(CancellationToken cancellationToken) => _sweeper.SweepAsync(cancellationToken);

    /// <summary>Counts the live peers now (up to <see cref="PeerCaps.Total"/>), as the background count does every few seconds.</summary>
    public Task<long> CountPeersAsync(CancellationToken cancellationToken) => _census.CountAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _census.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
