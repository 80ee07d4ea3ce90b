using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Storage.Postgres;
using Shoal.Tracker.Storage.Sql;
using Shoal.Tracker.Storage.Sqlite;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage;

/// <summary>Opens the store that <see cref="TrackerOptions.Store"/> names: SQLite (embedded, the default) or PostgreSQL (shared).</summary>
public static class TrackerStores
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";
    public const string DefaultFileName = "tracker.db";

    public static async Task<OpenedTrackerStore> OpenAsync(TrackerOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        string spec = options.Store ?? SqlitePrefix + Path.Combine(options.DataDirectory, DefaultFileName);
        ILogger logger = loggers.CreateLogger("Shoal.Tracker.Store");
        if (spec.StartsWith(SqlitePrefix, StringComparison.Ordinal) && spec.Length > SqlitePrefix.Length)
        {
            string path = spec[SqlitePrefix.Length..];
            SqliteTrackerStore sqlite = await SqliteTrackerStore.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            MemorySwarmStore swarms = await MemorySwarmStore.OpenAsync(sqlite, sqlite, options.PeerTimeout, PeerCaps.From(options), time, logger, cancellationToken).ConfigureAwait(false);
            return new OpenedTrackerStore(sqlite, swarms, sqlite.Accounts, $"SQLite {Path.GetFullPath(path)}", swarms) { StartedEmpty = swarms.RestoredPeers == 0 };
        }

        if (spec.StartsWith(PostgresPrefix, StringComparison.Ordinal) && spec.Length > PostgresPrefix.Length)
        {
            string connectionString = spec[PostgresPrefix.Length..];
            PostgresTrackerStore postgres = await PostgresTrackerStore.OpenAsync(connectionString, options.PeerTimeout, PeerCaps.From(options), time, logger, cancellationToken).ConfigureAwait(false);
            // Peers are rows of the database here, so a restart loses none: never StartedEmpty.
            // Named without the password the connection string may hold: the description is logged.
            var named = new NpgsqlConnectionStringBuilder(connectionString);
            return new OpenedTrackerStore(postgres, postgres, postgres.Accounts, $"PostgreSQL {named.Host}:{named.Port}/{named.Database}", postgres) { Shared = true };
        }

        throw new TrackerStoreException($"--store must be {SqlitePrefix}PATH or {PostgresPrefix}CONNECTION-STRING, not '{spec}'");
    }
}
