using System.Data;
using System.Data.Common;
using Shoal.Tracker.Api;

namespace Shoal.Tracker.Storage.Sql;

/// <summary>Parameterised commands for the SQL that SQLite and PostgreSQL both understand.</summary>
internal static class DbCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            if (value is null or byte[])
            {
                // Typed, so a null hash is still sent as a blob (bytea).
                parameter.DbType = DbType.Binary;
            }

            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Create(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first column of the first row as a whole number, or null when there is no row.</summary>
    public static async Task<long?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Create(connection, transaction, sql, parameters);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> of <paramref name="pageSql"/>
    /// (its ORDER BY decides which), each read by <paramref name="read"/>, and the count <paramref name="countSql"/> gives of all.
    /// </summary>
    public static async Task<ListPage<T>> ReadPageAsync<T>(
        DbConnection connection, string countSql, string pageSql, Func<DbDataReader, T> read, int offset, int limit, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        long total = await ScalarAsync(connection, null, countSql, cancellationToken, parameters).ConfigureAwait(false) ?? 0;
        IReadOnlyList<T> items = await ReadAllAsync(connection, $"{pageSql} LIMIT @limit OFFSET @offset", read, cancellationToken, [.. parameters, ("limit", limit), ("offset", offset)]).ConfigureAwait(false);
        return new ListPage<T>(total, items);
    }

    /// <summary>Every row, each read by <paramref name="read"/>.</summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using DbCommand command = Create(connection, null, sql, parameters);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
