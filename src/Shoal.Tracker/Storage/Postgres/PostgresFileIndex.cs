using Npgsql;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage.Sql;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>The registered torrents in PostgreSQL, with the same semantics as the SQLite index.</summary>
internal sealed class PostgresFileIndex(NpgsqlDataSource dataSource) : IFileIndexStore
{
    private const string Columns = "name, size, info_hash_v1, info_hash_v2, torrent, registered";
    private const string ListingColumns = "name, size, info_hash_v1, info_hash_v2, registered";

    public async Task<(StoredTorrent Torrent, Registration Outcome)> RegisterAsync(StoredTorrent torrent, long? registeredBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await SwarmClaims.TryClaimAsync(connection, transaction, torrent.SwarmKeys, isPublic: true, cancellationToken).ConfigureAwait(false))
        {
            return (torrent, Registration.GroupFile);
        }

        await using NpgsqlCommand insert = new("""
            INSERT INTO torrents (name, name_folded, size, info_hash_v1, info_hash_v2, swarm_v2, torrent, registered, registered_by)
            VALUES (@name, @folded, @size, @v1, @v2, @swarmV2, @torrent, @registered, @registeredBy)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string>("name", torrent.Name));
        insert.Parameters.Add(new NpgsqlParameter<string>("folded", StoredTorrents.Fold(torrent.Name)));
        insert.Parameters.Add(new NpgsqlParameter<long>("size", torrent.Size));
        insert.Parameters.Add(Hash("v1", torrent.InfoHashV1));
        insert.Parameters.Add(Hash("v2", torrent.InfoHashV2));
        insert.Parameters.Add(Hash("swarmV2", torrent.InfoHashV2?[..InfoHashKey.Length]));
        insert.Parameters.Add(new NpgsqlParameter<byte[]>("torrent", torrent.TorrentBytes));
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("registered", torrent.Registered.ToUniversalTime()));
        insert.Parameters.Add(new NpgsqlParameter("registeredBy", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)registeredBy ?? DBNull.Value });
        bool created = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        StoredTorrent stored = torrent;
        if (!created)
        {
            // A statement of its own: its fresh snapshot sees the conflicting row even when another
            // instance committed it after the insert began.
            await using NpgsqlCommand existing = new($"SELECT {Columns} FROM torrents WHERE info_hash_v1 = @v1 OR info_hash_v2 = @v2 LIMIT 1", connection, transaction);
            existing.Parameters.Add(Hash("v1", torrent.InfoHashV1));
            existing.Parameters.Add(Hash("v2", torrent.InfoHashV2));
            IReadOnlyList<StoredTorrent> found = await ReadAllAsync(existing, cancellationToken).ConfigureAwait(false);
            stored = found.Count > 0 ? found[0] : torrent;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (stored, created ? Registration.Created : Registration.Existing);
    }

    public async Task<long> CountRegisteredByAsync(long userId, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand count = dataSource.CreateCommand("SELECT count(*) FROM torrents WHERE registered_by = @user");
        count.Parameters.Add(new NpgsqlParameter<long>("user", userId));
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<(long Total, IReadOnlyList<TorrentListing> Torrents)> SearchAsync(string? search, int offset, int limit, CancellationToken cancellationToken)
    {
        string filter = search is null ? "" : "WHERE strpos(name_folded, @search) > 0";
        await using NpgsqlBatch batch = dataSource.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM torrents {filter}");
        var page = new NpgsqlBatchCommand($"SELECT {ListingColumns} FROM torrents {filter} ORDER BY registered DESC, id DESC LIMIT @limit OFFSET @offset");
        page.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        page.Parameters.Add(new NpgsqlParameter<int>("offset", offset));
        if (search is not null)
        {
            count.Parameters.Add(new NpgsqlParameter<string>("search", StoredTorrents.Fold(search)));
            page.Parameters.Add(new NpgsqlParameter<string>("search", StoredTorrents.Fold(search)));
        }

        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        long total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var listings = new List<TorrentListing>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            listings.Add(new TorrentListing(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return (total, listings);
    }

    public async Task<StoredTorrent?> FindAsync(InfoHashKey swarm, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand find = dataSource.CreateCommand($"SELECT {Columns} FROM torrents WHERE info_hash_v1 = @key OR swarm_v2 = @key LIMIT 1");
        find.Parameters.Add(new NpgsqlParameter<byte[]>("key", swarm.ToArray()));
        IReadOnlyList<StoredTorrent> found = await ReadAllAsync(find, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    // Typed, so a null hash is still sent as bytea.
    private static NpgsqlParameter Hash(string name, byte[]? hash) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)hash ?? DBNull.Value };

    private static async Task<IReadOnlyList<StoredTorrent>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTorrentsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredTorrent>> ReadTorrentsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var torrents = new List<StoredTorrent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            torrents.Add(new StoredTorrent(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3),
                reader.GetFieldValue<byte[]>(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return torrents;
    }
}
