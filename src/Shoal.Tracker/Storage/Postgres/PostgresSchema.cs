using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Storage.Sql;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, as numbered migrations applied in order and recorded in <c>schema_version</c>.
/// </summary>
internal static class PostgresSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE torrents (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            name_folded text NOT NULL,
            size bigint NOT NULL,
            info_hash_v1 bytea UNIQUE,
            info_hash_v2 bytea UNIQUE,
            swarm_v2 bytea,
            torrent bytea NOT NULL,
            registered timestamptz NOT NULL
        );
        CREATE INDEX torrents_swarm_v2 ON torrents (swarm_v2);
        CREATE INDEX torrents_newest ON torrents (registered DESC, id DESC);
        CREATE TABLE completed (
            info_hash bytea PRIMARY KEY,
            count bigint NOT NULL
        );
        CREATE TABLE peers (
            info_hash bytea NOT NULL,
            ip inet NOT NULL,
            port integer NOT NULL,
            seeder boolean NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (info_hash, ip, port)
        );
        CREATE INDEX peers_expires_at ON peers (expires_at);
        """,
        """
        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            salt bytea NOT NULL,
            password_hash bytea NOT NULL,
            created_ms bigint NOT NULL
        );
        CREATE TABLE sessions (
            token_hash bytea PRIMARY KEY,
            passkey_hash bytea NOT NULL UNIQUE,
            user_id bigint NOT NULL,
            expires_ms bigint NOT NULL
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE TABLE user_groups (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            owner_id bigint NOT NULL,
            created_ms bigint NOT NULL
        );
        CREATE TABLE group_members (
            group_id bigint NOT NULL,
            user_id bigint NOT NULL,
            PRIMARY KEY (group_id, user_id)
        );
        CREATE INDEX group_members_user ON group_members (user_id);
        CREATE TABLE join_requests (
            group_id bigint NOT NULL,
            user_id bigint NOT NULL,
            requested_ms bigint NOT NULL,
            PRIMARY KEY (group_id, user_id)
        );
        CREATE TABLE group_files (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            group_id bigint NOT NULL,
            sharer_id bigint NOT NULL,
            name text NOT NULL,
            size bigint NOT NULL,
            info_hash_v1 bytea UNIQUE,
            info_hash_v2 bytea UNIQUE,
            swarm_v2 bytea,
            torrent bytea NOT NULL,
            shared_ms bigint NOT NULL
        );
        CREATE INDEX group_files_group ON group_files (group_id);
        CREATE INDEX group_files_swarm_v2 ON group_files (swarm_v2);
        CREATE TABLE stopped_swarms (
            info_hash bytea PRIMARY KEY
        );
        """,
        """
        ALTER TABLE torrents ADD COLUMN registered_by bigint;
        CREATE INDEX torrents_registered_by ON torrents (registered_by);
        """,
        // The unit the per-address peer cap counts: the IPv4 address, or the IPv6 /64.
        """
        ALTER TABLE peers ADD COLUMN block cidr GENERATED ALWAYS AS (network(set_masklen(ip, CASE WHEN family(ip) = 4 THEN 32 ELSE 64 END))) STORED;
        CREATE INDEX peers_block ON peers (block);
        """,
        // Whose each swarm is (SwarmClaims). A swarm both public and a group's, as the race this closes
        // could leave one, stays the group's and leaves the public index: its members' privacy outweighs a listing.
        """
        CREATE TABLE swarm_claims (
            info_hash bytea PRIMARY KEY,
            is_public boolean NOT NULL
        );
        INSERT INTO swarm_claims SELECT info_hash_v1, false FROM group_files WHERE info_hash_v1 IS NOT NULL ON CONFLICT DO NOTHING;
        INSERT INTO swarm_claims SELECT swarm_v2, false FROM group_files WHERE swarm_v2 IS NOT NULL ON CONFLICT DO NOTHING;
        INSERT INTO swarm_claims SELECT info_hash, false FROM stopped_swarms ON CONFLICT DO NOTHING;
        INSERT INTO swarm_claims SELECT info_hash_v1, true FROM torrents WHERE info_hash_v1 IS NOT NULL ON CONFLICT DO NOTHING;
        INSERT INTO swarm_claims SELECT swarm_v2, true FROM torrents WHERE swarm_v2 IS NOT NULL ON CONFLICT DO NOTHING;
        DELETE FROM torrents WHERE info_hash_v1 IN (SELECT info_hash FROM swarm_claims WHERE NOT is_public)
            OR swarm_v2 IN (SELECT info_hash FROM swarm_claims WHERE NOT is_public);
        """,
        // Group names sort by their bytes, as SQLite's BINARY collation sorts them, whatever the database's locale.
        """
        ALTER TABLE user_groups ALTER COLUMN name TYPE text COLLATE "C";
        """,
    ];

    /// <summary>Applies the migrations not yet recorded, all in one transaction.</summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", new NpgsqlParameter<long>("key", PostgresAdvisoryLocks.Migration), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())", null, cancellationToken).ConfigureAwait(false);

        await using NpgsqlCommand version = new("SELECT coalesce(max(version), 0) FROM schema_version", connection);
        int applied = (int)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (applied > Migrations.Length)
        {
            throw new TrackerStoreException($"the database was written by a newer Shoal (schema {applied}, this one knows {Migrations.Length})");
        }

        for (int next = applied + 1; next <= Migrations.Length; next++)
        {
            await ExecuteAsync(connection, Migrations[next - 1], null, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO schema_version (version) VALUES (@version)", new NpgsqlParameter<int>("version", next), cancellationToken).ConfigureAwait(false);
            PostgresLog.Migrated(logger, next);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlParameter? parameter, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = new(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
