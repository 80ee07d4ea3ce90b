using Microsoft.Data.Sqlite;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage.Sql;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Sqlite;

/// <summary>
/// The embedded store: registered torrents, finished-download counts, accounts and groups in one SQLite file. Peers
/// live in memory (<see cref="MemorySwarmStore"/>) and are saved here only to outlive a restart, so only one tracker
/// process uses the file.
/// </summary>
public sealed class SqliteTrackerStore : IFileIndexStore, ICompletedCountStore, ILivePeerStore
{
    private readonly string _connectionString;

    private SqliteTrackerStore(string connectionString)
    {
        _connectionString = connectionString;
        Accounts = new SqlAccountStore(async cancellationToken => await OpenConnectionAsync(cancellationToken).ConfigureAwait(false));
    }

    public IAccountStore Accounts { get; }

    public static async Task<SqliteTrackerStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        string fullPath = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            string connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
            var store = new SqliteTrackerStore(connectionString);
            await using SqliteConnection connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await SqliteSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new TrackerStoreException($"cannot open the tracker database {fullPath}: {e.Message}", e);
        }
    }

    public async Task<(StoredTorrent Torrent, Registration Outcome)> RegisterAsync(StoredTorrent torrent, long? registeredBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await SwarmClaims.TryClaimAsync(connection, transaction, torrent.SwarmKeys, isPublic: true, cancellationToken).ConfigureAwait(false))
        {
            return (torrent, Registration.GroupFile);
        }

        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO torrents (name, name_folded, size, info_hash_v1, info_hash_v2, swarm_v2, torrent, registered_ms, registered_by)
            VALUES ($name, $folded, $size, $v1, $v2, $swarmV2, $torrent, $registered, $registeredBy)
            ON CONFLICT DO NOTHING
            """;
        insert.Parameters.AddWithValue("$name", torrent.Name);
        insert.Parameters.AddWithValue("$folded", StoredTorrents.Fold(torrent.Name));
        insert.Parameters.AddWithValue("$size", torrent.Size);
        insert.Parameters.AddWithValue("$v1", (object?)torrent.InfoHashV1 ?? DBNull.Value);
        insert.Parameters.AddWithValue("$v2", (object?)torrent.InfoHashV2 ?? DBNull.Value);
        insert.Parameters.AddWithValue("$swarmV2", (object?)torrent.InfoHashV2?[..InfoHashKey.Length] ?? DBNull.Value);
        insert.Parameters.AddWithValue("$torrent", torrent.TorrentBytes);
        insert.Parameters.AddWithValue("$registered", torrent.Registered.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$registeredBy", (object?)registeredBy ?? DBNull.Value);
        bool created = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        StoredTorrent stored = torrent;
        if (!created)
        {
            using SqliteCommand existing = connection.CreateCommand();
            existing.Transaction = transaction;
            existing.CommandText = $"SELECT {Columns} FROM torrents WHERE info_hash_v1 = $v1 OR info_hash_v2 = $v2 LIMIT 1";
            existing.Parameters.AddWithValue("$v1", (object?)torrent.InfoHashV1 ?? DBNull.Value);
            existing.Parameters.AddWithValue("$v2", (object?)torrent.InfoHashV2 ?? DBNull.Value);
            IReadOnlyList<StoredTorrent> found = await ReadAllAsync(existing, cancellationToken).ConfigureAwait(false);
            stored = found.Count > 0 ? found[0] : torrent;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (stored, created ? Registration.Created : Registration.Existing);
    }

    public async Task<long> CountRegisteredByAsync(long userId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM torrents WHERE registered_by = $user";
        count.Parameters.AddWithValue("$user", userId);
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<(long Total, IReadOnlyList<TorrentListing> Torrents)> SearchAsync(string? search, int offset, int limit, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        string filter = search is null ? "" : "WHERE instr(name_folded, $search) > 0";
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM torrents {filter}";
        using SqliteCommand page = connection.CreateCommand();
        page.CommandText = $"SELECT {ListingColumns} FROM torrents {filter} ORDER BY registered_ms DESC, id DESC LIMIT $limit OFFSET $offset";
        page.Parameters.AddWithValue("$limit", limit);
        page.Parameters.AddWithValue("$offset", offset);
        if (search is not null)
        {
            count.Parameters.AddWithValue("$search", StoredTorrents.Fold(search));
            page.Parameters.AddWithValue("$search", StoredTorrents.Fold(search));
        }

        long total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var listings = new List<TorrentListing>();
        await using SqliteDataReader reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            listings.Add(new TorrentListing(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : (byte[])reader[2],
                reader.IsDBNull(3) ? null : (byte[])reader[3],
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return (total, listings);
    }

    public async Task<StoredTorrent?> FindAsync(InfoHashKey swarm, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand find = connection.CreateCommand();
        find.CommandText = $"SELECT {Columns} FROM torrents WHERE info_hash_v1 = $key OR swarm_v2 = $key LIMIT 1";
        find.Parameters.AddWithValue("$key", swarm.ToArray());
        IReadOnlyList<StoredTorrent> found = await ReadAllAsync(find, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyDictionary<InfoHashKey, long>> LoadCompletedAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT info_hash, count FROM completed";
        var counts = new Dictionary<InfoHashKey, long>();
        await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[InfoHashKey.Read((byte[])reader[0])] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task AddCompletedAsync(IReadOnlyDictionary<InfoHashKey, long> increments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(increments);
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO completed (info_hash, count) VALUES ($hash, $count) ON CONFLICT (info_hash) DO UPDATE SET count = count + excluded.count";
        SqliteParameter hash = upsert.Parameters.Add("$hash", SqliteType.Blob);
        SqliteParameter count = upsert.Parameters.Add("$count", SqliteType.Integer);
        foreach ((InfoHashKey infoHash, long increment) in increments)
        {
            hash.Value = infoHash.ToArray();
            count.Value = increment;
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SavedSwarm>> LoadPeersAsync(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT info_hash, peers FROM live_peers";
        var swarms = new List<SavedSwarm>();
        await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            swarms.Add(new SavedSwarm(InfoHashKey.Read((byte[])reader[0]), (byte[])reader[1]));
        }

        return swarms;
    }

    public async Task SavePeersAsync(IEnumerable<SavedSwarm> changed, IReadOnlyList<InfoHashKey> emptied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(emptied);
        await using SqliteConnection connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM live_peers WHERE info_hash = $hash";
        SqliteParameter deleted = delete.Parameters.Add("$hash", SqliteType.Blob);
        foreach (InfoHashKey swarm in emptied)
        {
            deleted.Value = swarm.ToArray();
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO live_peers (info_hash, peers) VALUES ($hash, $peers) ON CONFLICT (info_hash) DO UPDATE SET peers = excluded.peers";
        SqliteParameter hash = upsert.Parameters.Add("$hash", SqliteType.Blob);
        SqliteParameter peers = upsert.Parameters.Add("$peers", SqliteType.Blob);
        // SQLite copies a blob as it is bound, so one key buffer serves every row; and the synchronous
        // call, since SQLite's async one runs synchronously and only adds a task per row (a save during a
        // fill of 100,000 swarms writes every one).
        byte[] key = new byte[InfoHashKey.Length];
        hash.Value = key;
        foreach (SavedSwarm swarm in changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            swarm.InfoHash.WriteTo(key);
            peers.Value = swarm.Peers;
            upsert.ExecuteNonQuery();
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private const string Columns = "name, size, info_hash_v1, info_hash_v2, torrent, registered_ms";
    private const string ListingColumns = "name, size, info_hash_v1, info_hash_v2, registered_ms";

    private static async Task<IReadOnlyList<StoredTorrent>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var torrents = new List<StoredTorrent>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            torrents.Add(new StoredTorrent(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : (byte[])reader[2],
                reader.IsDBNull(3) ? null : (byte[])reader[3],
                (byte[])reader[4],
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return torrents;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
