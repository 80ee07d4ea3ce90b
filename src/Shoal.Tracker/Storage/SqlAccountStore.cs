using System.Data.Common;
using Shoal.Discovery.Trackers.Accounts;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage;

/// <summary>
/// The accounts and groups in SQL that SQLite and PostgreSQL both run, over the tables of their
/// migrations (times are Unix milliseconds). Nothing is cached: several tracker instances on one
/// PostgreSQL database see each other's changes at once.
/// </summary>
internal sealed class SqlAccountStore(Func<CancellationToken, Task<DbConnection>> open) : IAccountStore
{
    private const string FileColumns = "f.name, f.size, f.info_hash_v1, f.info_hash_v2, f.torrent, f.shared_ms, f.sharer_id, u.name";
    private const string UserId = "(SELECT id FROM users WHERE name = @name)";

    public async Task<bool> AddUserAsync(string name, byte[] salt, byte[] passwordHash, DateTimeOffset created, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ExecuteAsync(
            connection, null, "INSERT INTO users (name, salt, password_hash, created_ms) VALUES (@name, @salt, @hash, @created) ON CONFLICT DO NOTHING", cancellationToken,
            ("name", name), ("salt", salt), ("hash", passwordHash), ("created", created.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;
    }

    public async Task<StoredUser?> FindUserAsync(string name, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredUser> users = await DbCommands.ReadAllAsync(
            connection, "SELECT id, name, salt, password_hash FROM users WHERE name = @name",
            r => new StoredUser(r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3)), cancellationToken, ("name", name)).ConfigureAwait(false);
        return users.Count > 0 ? users[0] : null;
    }

    public async Task ChangePasswordAsync(long userId, byte[] salt, byte[] passwordHash, byte[] keptTokenHash, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, "UPDATE users SET salt = @salt, password_hash = @hash WHERE id = @user", cancellationToken, ("salt", salt), ("hash", passwordHash), ("user", userId)).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM sessions WHERE user_id = @user AND token_hash <> @kept", cancellationToken, ("user", userId), ("kept", keptTokenHash)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AddSessionAsync(long userId, byte[] tokenHash, byte[] passkeyHash, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM sessions WHERE user_id = @user AND expires_ms <= @now", cancellationToken, ("user", userId), ("now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(
            connection, transaction, "INSERT INTO sessions (token_hash, passkey_hash, user_id, expires_ms) VALUES (@token, @passkey, @user, @expires)", cancellationToken,
            ("token", tokenHash), ("passkey", passkeyHash), ("user", userId), ("expires", expires.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AccountUser?> FindSessionAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AccountUser> users = await DbCommands.ReadAllAsync(
            connection, "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = @token AND s.expires_ms > @now",
            r => new AccountUser(r.GetInt64(0), r.GetString(1)), cancellationToken, ("token", tokenHash), ("now", now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        return users.Count > 0 ? users[0] : null;
    }

    public async Task DeleteSessionAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, null, "DELETE FROM sessions WHERE token_hash = @token", cancellationToken, ("token", tokenHash)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GroupsOfAsync(long userId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> names = await DbCommands.ReadAllAsync(
            connection, "SELECT g.name FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = @user",
            r => r.GetString(0), cancellationToken, ("user", userId)).ConfigureAwait(false);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    public async Task<bool> AddGroupAsync(string name, long ownerId, DateTimeOffset created, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long? groupId = await DbCommands.ScalarAsync(
            connection, transaction, "INSERT INTO user_groups (name, owner_id, created_ms) VALUES (@name, @owner, @created) ON CONFLICT DO NOTHING RETURNING id", cancellationToken,
            ("name", name), ("owner", ownerId), ("created", created.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        if (groupId is null)
        {
            return false;
        }

        await DbCommands.ExecuteAsync(connection, transaction, "INSERT INTO group_members (group_id, user_id) VALUES (@group, @user)", cancellationToken, ("group", groupId), ("user", ownerId)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<GroupSummary> groups = await DbCommands.ReadAllAsync(
            connection, "SELECT g.name, u.name, (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) FROM user_groups g JOIN users u ON u.id = g.owner_id",
            r => new GroupSummary(r.GetString(0), r.GetString(1), (int)r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
        return [.. groups.OrderBy(group => group.Name, StringComparer.Ordinal)];
    }

    public async Task<StoredGroup?> FindGroupAsync(string name, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredGroup> groups = await DbCommands.ReadAllAsync(
            connection, "SELECT g.id, g.name, g.owner_id, u.name FROM user_groups g JOIN users u ON u.id = g.owner_id WHERE g.name = @name",
            r => new StoredGroup(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3)), cancellationToken, ("name", name)).ConfigureAwait(false);
        return groups.Count > 0 ? groups[0] : null;
    }

    public async Task<bool> IsMemberAsync(long groupId, long userId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ScalarAsync(connection, null, "SELECT count(*) FROM group_members WHERE group_id = @group AND user_id = @user", cancellationToken, ("group", groupId), ("user", userId)).ConfigureAwait(false) > 0;
    }

    public async Task<bool> AddJoinRequestAsync(long groupId, long userId, DateTimeOffset requested, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ExecuteAsync(
            connection, null, """
            INSERT INTO join_requests (group_id, user_id, requested_ms)
            SELECT @group, @user, @requested WHERE NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = @group AND user_id = @user)
            ON CONFLICT DO NOTHING
            """, cancellationToken, ("group", groupId), ("user", userId), ("requested", requested.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<JoinRequest>> JoinRequestsAsync(long groupId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadAllAsync(
            connection, "SELECT u.name, r.requested_ms FROM join_requests r JOIN users u ON u.id = r.user_id WHERE r.group_id = @group ORDER BY r.requested_ms, u.id",
            r => new JoinRequest(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1))), cancellationToken, ("group", groupId)).ConfigureAwait(false);
    }

    public async Task<bool> ResolveJoinRequestAsync(long groupId, string userName, bool accept, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int removed = await DbCommands.ExecuteAsync(connection, transaction, $"DELETE FROM join_requests WHERE group_id = @group AND user_id = {UserId}", cancellationToken, ("group", groupId), ("name", userName)).ConfigureAwait(false);
        if (removed == 0)
        {
            return false;
        }

        if (accept)
        {
            await DbCommands.ExecuteAsync(
                connection, transaction, "INSERT INTO group_members (group_id, user_id) SELECT @group, id FROM users WHERE name = @name ON CONFLICT DO NOTHING", cancellationToken,
                ("group", groupId), ("name", userName)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> RemoveMemberAsync(long groupId, string userName, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ExecuteAsync(connection, null, $"DELETE FROM group_members WHERE group_id = @group AND user_id = {UserId}", cancellationToken, ("group", groupId), ("name", userName)).ConfigureAwait(false) > 0;
    }

    public async Task DeleteGroupAsync(long groupId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await StopFilesAsync(connection, transaction, "group_id = @group", cancellationToken, ("group", groupId)).ConfigureAwait(false);
        foreach (string sql in new[] { "DELETE FROM join_requests WHERE group_id = @group", "DELETE FROM group_members WHERE group_id = @group", "DELETE FROM user_groups WHERE id = @group" })
        {
            await DbCommands.ExecuteAsync(connection, transaction, sql, cancellationToken, ("group", groupId)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AddGroupFileAsync(long groupId, long sharerId, StoredTorrent torrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        byte[]? swarmV2 = torrent.InfoHashV2?[..InfoHashKey.Length];
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
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
            return false;
        }

        // Shared again after it was stopped: tracked for the group once more.
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM stopped_swarms WHERE info_hash = @v1 OR info_hash = @swarmV2", cancellationToken, ("v1", torrent.InfoHashV1), ("swarmV2", swarmV2)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<StoredGroupFile>> GroupFilesAsync(long groupId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadAllAsync(
            connection, $"SELECT {FileColumns} FROM group_files f JOIN users u ON u.id = f.sharer_id WHERE f.group_id = @group ORDER BY f.shared_ms DESC, f.id DESC",
            ReadFile, cancellationToken, ("group", groupId)).ConfigureAwait(false);
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
