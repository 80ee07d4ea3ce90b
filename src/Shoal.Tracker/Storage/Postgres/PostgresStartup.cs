using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Storage.Sql;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>Turns a connection string into a ready database, with failures an operator can act on.</summary>
internal static class PostgresStartup
{
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new TrackerStoreException($"invalid PostgreSQL connection string: {e.Message}", e);
        }

        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.Host))
        {
            throw new TrackerStoreException("the PostgreSQL connection string names no Host");
        }

        // Every announce sends the same few statements: prepared once per connection, they skip parsing
        // and planning, unless the operator chose otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        return builder.Build();
    }

    /// <summary>Connects once and brings the schema up to date.</summary>
    public static async Task PrepareAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new TrackerStoreException($"cannot connect to PostgreSQL at {Describe(dataSource)}: {e.Message}", e);
        }

        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await PostgresSchema.MigrateAsync(connection, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new TrackerStoreException($"cannot prepare the tracker's tables in PostgreSQL at {Describe(dataSource)}: {e.Message}", e);
            }
        }
    }

    // The data source's connection string has the password removed.
    private static string Describe(NpgsqlDataSource dataSource)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{settings.Host}:{settings.Port} (database {settings.Database ?? settings.Username})";
    }
}
