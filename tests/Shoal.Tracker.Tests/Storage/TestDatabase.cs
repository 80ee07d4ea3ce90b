using Npgsql;

namespace Shoal.Tracker.Tests.Storage;

/// <summary>A fresh, uniquely named database on the test PostgreSQL server, dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string ServerVariable = "SHOAL_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;

    private TestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    public string ConnectionString { get; }

    /// <summary>A new database; <paramref name="options"/> follow <c>CREATE DATABASE name</c> (a template, a locale).</summary>
    public static async Task<TestDatabase> CreateAsync(string options = "")
    {
        string server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ServerVariable} is not set: run ./test.sh, which starts PostgreSQL");
        var database = new TestDatabase(server, $"shoal_test_{Guid.NewGuid():N}");
        await database.ExecuteOnServerAsync($"CREATE DATABASE {database._name} {options}");
        return database;
    }

    /// <summary>Runs <paramref name="sql"/> in this database and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    // FORCE ends connections a failed test left open.
    public async ValueTask DisposeAsync() => await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
