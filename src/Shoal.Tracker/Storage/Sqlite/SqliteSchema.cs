using Microsoft.Data.Sqlite;
using Shoal.Tracker.Storage.Sql;

namespace Shoal.Tracker.Storage.Sqlite;

/// <summary>The SQLite schema, as numbered migrations applied in order and recorded in <c>user_version</c>.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE torrents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_folded TEXT NOT NULL,
            size INTEGER NOT NULL,
            info_hash_v1 BLOB UNIQUE,
            info_hash_v2 BLOB UNIQUE,
            swarm_v2 BLOB,
            torrent BLOB NOT NULL,
            registered_ms INTEGER NOT NULL
        );
        CREATE INDEX torrents_swarm_v2 ON torrents (swarm_v2);
        CREATE TABLE completed (
            info_hash BLOB PRIMARY KEY,
            count INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            salt BLOB NOT NULL,
            password_hash BLOB NOT NULL,
            created_ms INTEGER NOT NULL
        );
        CREATE TABLE sessions (
            token_hash BLOB PRIMARY KEY,
            passkey_hash BLOB NOT NULL UNIQUE,
            user_id INTEGER NOT NULL,
            expires_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE TABLE user_groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            owner_id INTEGER NOT NULL,
            created_ms INTEGER NOT NULL
        );
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            PRIMARY KEY (group_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX group_members_user ON group_members (user_id);
        CREATE TABLE join_requests (
            group_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            requested_ms INTEGER NOT NULL,
            PRIMARY KEY (group_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE group_files (
            id INTEGER PRIMARY KEY,
            group_id INTEGER NOT NULL,
            sharer_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            info_hash_v1 BLOB UNIQUE,
            info_hash_v2 BLOB UNIQUE,
            swarm_v2 BLOB,
            torrent BLOB NOT NULL,
            shared_ms INTEGER NOT NULL
        );
        CREATE INDEX group_files_group ON group_files (group_id);
        CREATE INDEX group_files_swarm_v2 ON group_files (swarm_v2);
        CREATE TABLE stopped_swarms (
            info_hash BLOB PRIMARY KEY
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE torrents ADD COLUMN registered_by INTEGER;
        CREATE INDEX torrents_registered_by ON torrents (registered_by);
        """,
        """
        CREATE TABLE live_peers (
            info_hash BLOB PRIMARY KEY,
            peers BLOB NOT NULL
        ) WITHOUT ROWID;
        """,
        // Whose each swarm is (SwarmClaims). A swarm both public and a group's, as the race this closes
        // could leave one, stays the group's and leaves the public index: its members' privacy outweighs a listing.
        """
        CREATE TABLE swarm_claims (
            info_hash BLOB PRIMARY KEY,
            is_public INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO swarm_claims SELECT info_hash_v1, 0 FROM group_files WHERE info_hash_v1 IS NOT NULL;
        INSERT OR IGNORE INTO swarm_claims SELECT swarm_v2, 0 FROM group_files WHERE swarm_v2 IS NOT NULL;
        INSERT OR IGNORE INTO swarm_claims SELECT info_hash, 0 FROM stopped_swarms;
        INSERT OR IGNORE INTO swarm_claims SELECT info_hash_v1, 1 FROM torrents WHERE info_hash_v1 IS NOT NULL;
        INSERT OR IGNORE INTO swarm_claims SELECT swarm_v2, 1 FROM torrents WHERE swarm_v2 IS NOT NULL;
        DELETE FROM torrents WHERE info_hash_v1 IN (SELECT info_hash FROM swarm_claims WHERE is_public = 0)
            OR swarm_v2 IN (SELECT info_hash FROM swarm_claims WHERE is_public = 0);
        """,
    ];

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (SqliteCommand wal = connection.CreateCommand())
        {
            // WAL lets the index page read while an announce's completed count is being written.
            wal.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using SqliteCommand version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        long applied = (long)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (applied > Migrations.Length)
        {
            throw new TrackerStoreException($"the database was written by a newer Shoal (schema {applied}, this one knows {Migrations.Length})");
        }

        for (long next = applied; next < Migrations.Length; next++)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = $"{Migrations[next]}; PRAGMA user_version = {next + 1};";
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
