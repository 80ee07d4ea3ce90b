using System.Data.Common;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Storage.Sql;

/// <summary>
/// The accounts and groups in SQL that SQLite and PostgreSQL both run, over the tables of their
/// migrations (times are Unix milliseconds). Nothing is cached: several tracker instances on one
/// PostgreSQL database see each other's changes at once. Users and sessions here; groups and group
/// files in the other parts.
/// </summary>
internal sealed partial class SqlAccountStore(Func<CancellationToken, Task<DbConnection>> open) : IAccountStore
{
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
}
