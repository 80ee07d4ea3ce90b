using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shoal.Tests;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage.Postgres;
using Shoal.Tracker.Storage.Sqlite;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Storage;

/// <summary>
/// The upgrade that adds swarm claims: a torrent the old race left both public and a group's becomes the
/// group's alone and leaves the public index; the other torrents keep their place.
/// </summary>
public sealed class SwarmClaimMigrationTests
{
    private static readonly byte[] Both = [.. Enumerable.Repeat((byte)0xB0, 20)];
    private static readonly byte[] PublicOnly = [.. Enumerable.Repeat((byte)0x9B, 20)];

    [Fact]
    public async Task On_sqlite_a_torrent_both_public_and_a_groups_becomes_the_groups()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "tracker.db");
        _ = await SqliteTrackerStore.OpenAsync(path, default);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await RaceLeftoversAsync(connection, "DROP TABLE swarm_claims; PRAGMA user_version = 4;", "registered_ms");
        }

        SqliteTrackerStore upgraded = await SqliteTrackerStore.OpenAsync(path, default);

        await AssertUpgradedAsync(upgraded, upgraded.Accounts);
    }

    [Fact]
    public async Task On_postgres_a_torrent_both_public_and_a_groups_becomes_the_groups()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        await (await OpenAsync(database)).DisposeAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await RaceLeftoversAsync(connection, "DROP TABLE swarm_claims; DELETE FROM schema_version WHERE version >= 5;", "registered");
        }

        await using PostgresTrackerStore upgraded = await OpenAsync(database);

        await AssertUpgradedAsync(upgraded, upgraded.Accounts);
    }

    private static Task<PostgresTrackerStore> OpenAsync(TestDatabase database) =>
        PostgresTrackerStore.OpenAsync(database.ConnectionString, TimeSpan.FromMinutes(30), PeerCapsForTests.Unlimited, TimeProvider.System, NullLogger.Instance, default);

    // Back to the schema before claims, with one torrent public and a group's at once and one public only.
    private static async Task RaceLeftoversAsync(DbConnection connection, string downgrade, string registeredColumn)
    {
        string registered = registeredColumn == "registered" ? "now()" : "0";
        foreach (string sql in new[]
        {
            downgrade,
            $"INSERT INTO torrents (name, name_folded, size, info_hash_v1, torrent, {registeredColumn}) VALUES ('both', 'both', 1, @both, @both, {registered})",
            $"INSERT INTO torrents (name, name_folded, size, info_hash_v1, torrent, {registeredColumn}) VALUES ('public', 'public', 1, @public, @public, {registered})",
            "INSERT INTO group_files (group_id, sharer_id, name, size, info_hash_v1, torrent, shared_ms) VALUES (1, 1, 'both', 1, @both, @both, 0)",
        })
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            foreach ((string name, byte[] value) in new[] { ("both", Both), ("public", PublicOnly) })
            {
                DbParameter parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task AssertUpgradedAsync(IFileIndexStore index, IAccountStore accounts)
    {
        Assert.Null(await index.FindAsync(InfoHashKey.Read(Both), default));
        Assert.NotNull(await index.FindAsync(InfoHashKey.Read(PublicOnly), default));
        Assert.Equal(SwarmAccess.NotMember, await accounts.SwarmAccessAsync(InfoHashKey.Read(Both), [], DateTimeOffset.UtcNow, default));
        StoredTorrent again = new("both", 1, Both, null, Both, DateTimeOffset.UtcNow);
        Assert.Equal(Registration.GroupFile, (await index.RegisterAsync(again, null, default)).Outcome);
    }
}
