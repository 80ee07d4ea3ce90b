using System.Data.Common;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Api;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Storage.Sql;

/// <summary>Groups, their members and join requests.</summary>
internal sealed partial class SqlAccountStore
{
    private const string UserId = "(SELECT id FROM users WHERE name = @name)";

    public async Task<IReadOnlyList<string>> GroupsOfAsync(long userId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadAllAsync(
            connection, "SELECT g.name FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = @user ORDER BY g.name",
            r => r.GetString(0), cancellationToken, ("user", userId)).ConfigureAwait(false);
    }

    public async Task<GroupCreation> AddGroupAsync(string name, long ownerId, int maxOwned, DateTimeOffset created, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long? owned = await DbCommands.ScalarAsync(connection, transaction, "SELECT count(*) FROM user_groups WHERE owner_id = @owner", cancellationToken, ("owner", ownerId)).ConfigureAwait(false);
        if (owned >= maxOwned)
        {
            return GroupCreation.OwnerAtLimit;
        }

        long? groupId = await DbCommands.ScalarAsync(
            connection, transaction, "INSERT INTO user_groups (name, owner_id, created_ms) VALUES (@name, @owner, @created) ON CONFLICT DO NOTHING RETURNING id", cancellationToken,
            ("name", name), ("owner", ownerId), ("created", created.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        if (groupId is null)
        {
            return GroupCreation.NameTaken;
        }

        await DbCommands.ExecuteAsync(connection, transaction, "INSERT INTO group_members (group_id, user_id) VALUES (@group, @user)", cancellationToken, ("group", groupId), ("user", ownerId)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return GroupCreation.Created;
    }

    // Names sort by their bytes: SQLite's BINARY collation, and PostgreSQL's "C", the column's collation there (migration 6).
    public async Task<ListPage<GroupSummary>> ListGroupsAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadPageAsync(
            connection,
            "SELECT count(*) FROM user_groups",
            "SELECT g.name, u.name, (SELECT count(*) FROM group_members m WHERE m.group_id = g.id) FROM user_groups g JOIN users u ON u.id = g.owner_id ORDER BY g.name",
            r => new GroupSummary(r.GetString(0), r.GetString(1), (int)r.GetInt64(2)), offset, limit, cancellationToken).ConfigureAwait(false);
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

    public async Task<ListPage<JoinRequest>> JoinRequestsAsync(long groupId, int offset, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await open(cancellationToken).ConfigureAwait(false);
        return await DbCommands.ReadPageAsync(
            connection,
            "SELECT count(*) FROM join_requests WHERE group_id = @group",
            "SELECT u.name, r.requested_ms FROM join_requests r JOIN users u ON u.id = r.user_id WHERE r.group_id = @group ORDER BY r.requested_ms, u.id",
            r => new JoinRequest(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1))), offset, limit, cancellationToken, ("group", groupId)).ConfigureAwait(false);
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
}
