using System.Data.Common;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Api;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Storage.Sql;

/// <summary>Group files, the swarms of files no longer shared, and who may use a swarm.</summary>
internal sealed partial class SqlAccountStore
{
    private const string FileColumns = "f.name, f.size, f.info_hash_v1, f.info_hash_v2, f.torrent, f.shared_ms, f.sharer_id, u.name";

    public async Task<GroupSharing> AddGroupFileAsync(long groupId, long sharerId, StoredTorrent torrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        byte[]? swarmV2 = torrent.InfoHashV2?[..InfoHashKey.Length];
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await SwarmClaims.TryClaimAsync(connection, transaction, torrent.SwarmKeys, isPublic: false, cancellationToken).ConfigureAwait(false))
        {
            return GroupSharing.PublicFile;
        }

        int added = await DbCommands.ExecuteAsync(
            connection, transaction, """
            INSERT INTO group_files (group_id, sharer_id, name, size, info_hash_v1, info_hash_v2, swarm_v2, torrent, shared_ms)
            VALUES (@group, @sharer, @name, @size, @v1, @v2, @swarmV2, @torrent, @shared)
            ON CONFLICT DO NOTHING
            """, cancellationToken,
            ("group", groupId), ("sharer", sharerId), ("name", torrent.Name), ("size", torrent.Size), ("v1", torrent.InfoHashV1), ("v2", torrent.InfoHashV2),
            ("swarmV2", swarmV2), ("torrent", torrent.TorrentBytes), ("shared", torrent.Registered.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        if (added == 0)
        {
            return GroupSharing.AlreadyShared;
        }

        // Shared again after it was stopped: tracked for the group once more.
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM stopped_swarms WHERE info_hash = @v1 OR info_hash = @swarmV2", cancellationToken, ("v1", torrent.InfoHashV1), ("swarmV2", swarmV2)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return GroupSharing.Shared;
    }

    public async Task<ListPage<GroupFileListing>> GroupFilesAsync(long groupId, int offset, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadPageAsync(
            connection,
            "SELECT count(*) FROM group_files WHERE group_id = @group",
            "SELECT f.name, f.size, f.info_hash_v1, f.info_hash_v2, f.shared_ms, u.name FROM group_files f JOIN users u ON u.id = f.sharer_id WHERE f.group_id = @group ORDER BY f.shared_ms DESC, f.id DESC",
            r => new GroupFileListing(
                new TorrentListing(
                    r.GetString(0),
                    r.GetInt64(1),
                    r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2),
                    r.IsDBNull(3) ? null : r.GetFieldValue<byte[]>(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))),
                r.GetString(5)),
            offset, limit, cancellationToken, ("group", groupId)).ConfigureAwait(false);
    }

    public async Task<StoredGroupFile?> FindGroupFileAsync(long groupId, InfoHashKey swarm, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredGroupFile> files = await DbCommands.ReadAllAsync(
            connection, $"SELECT {FileColumns} FROM group_files f JOIN users u ON u.id = f.sharer_id WHERE f.group_id = @group AND (f.info_hash_v1 = @key OR f.swarm_v2 = @key)",
            ReadFile, cancellationToken, ("group", groupId), ("key", swarm.ToArray())).ConfigureAwait(false);
        return files.Count > 0 ? files[0] : null;
    }

    public async Task StopSharingAsync(long groupId, InfoHashKey swarm, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await StopFilesAsync(connection, transaction, "group_id = @group AND (info_hash_v1 = @key OR swarm_v2 = @key)", cancellationToken, ("group", groupId), ("key", swarm.ToArray())).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SwarmAccess> SwarmAccessAsync(InfoHashKey swarm, byte[] passkeyHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        byte[] key = swarm.ToArray();
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        long? members = await DbCommands.ScalarAsync(
            connection, null, """
            SELECT (SELECT count(*) FROM sessions s JOIN group_members m ON m.user_id = s.user_id
                    WHERE s.passkey_hash = @passkey AND s.expires_ms > @now AND m.group_id = f.group_id)
            FROM group_files f WHERE f.info_hash_v1 = @key OR f.swarm_v2 = @key LIMIT 1
            """, cancellationToken, ("passkey", passkeyHash), ("now", now.ToUnixTimeMilliseconds()), ("key", key)).ConfigureAwait(false);
        if (members is { } count)
        {
            return count > 0 ? SwarmAccess.Member : SwarmAccess.NotMember;
        }

        long? stopped = await DbCommands.ScalarAsync(connection, null, "SELECT count(*) FROM stopped_swarms WHERE info_hash = @key", cancellationToken, ("key", key)).ConfigureAwait(false);
        return stopped > 0 ? SwarmAccess.Stopped : SwarmAccess.Public;
    }

    public async Task<IReadOnlyList<InfoHashKey>> GroupSwarmsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadAllAsync(
            connection, "SELECT info_hash FROM swarm_claims WHERE NOT is_public", r => InfoHashKey.Read(r.GetFieldValue<byte[]>(0)), cancellationToken).ConfigureAwait(false);
    }

    // Remembers the files' swarms as stopped, then forgets the files.
    private static async Task StopFilesAsync(DbConnection connection, DbTransaction transaction, string filter, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await DbCommands.ExecuteAsync(
            connection, transaction, $"INSERT INTO stopped_swarms (info_hash) SELECT info_hash_v1 FROM group_files WHERE {filter} AND info_hash_v1 IS NOT NULL ON CONFLICT DO NOTHING", cancellationToken, parameters).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(
            connection, transaction, $"INSERT INTO stopped_swarms (info_hash) SELECT swarm_v2 FROM group_files WHERE {filter} AND swarm_v2 IS NOT NULL ON CONFLICT DO NOTHING", cancellationToken, parameters).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, $"DELETE FROM group_files WHERE {filter}", cancellationToken, parameters).ConfigureAwait(false);
    }

    private static StoredGroupFile ReadFile(DbDataReader r) => new(
        new StoredTorrent(
            r.GetString(0),
            r.GetInt64(1),
            r.IsDBNull(2) ? null : r.GetFieldValue<byte[]>(2),
            r.IsDBNull(3) ? null : r.GetFieldValue<byte[]>(3),
            r.GetFieldValue<byte[]>(4),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
        r.GetInt64(6),
        r.GetString(7));
}
