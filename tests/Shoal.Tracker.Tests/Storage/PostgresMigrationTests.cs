using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Tracker.Storage.Postgres;
using Shoal.Tracker.Storage.Sql;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Storage;

public sealed class PostgresMigrationTests
{
    [Fact]
    public async Task Instances_starting_at_once_apply_each_migration_once()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();

        PostgresTrackerStore[] stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(database.ConnectionString)));
        try
        {
            Assert.Equal(true, await database.ScalarAsync("SELECT count(*) = max(version) AND min(version) = 1 FROM schema_version"));
            Assert.Equal([new SwarmCounts(0, 0, 0)], await stores[3].ScrapeAsync([InfoHashKey.Read(new byte[20])], default));
        }
        finally
        {
            foreach (PostgresTrackerStore store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_database_written_by_a_newer_Shoal_is_refused()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        await (await OpenAsync(database.ConnectionString)).DisposeAsync();
        await database.ScalarAsync("INSERT INTO schema_version (version) VALUES (1000)");

        var refused = await Assert.ThrowsAsync<TrackerStoreException>(() => OpenAsync(database.ConnectionString));

        Assert.Contains("newer Shoal (schema 1000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_with_its_address()
    {
        int port = FreePort();

        var refused = await Assert.ThrowsAsync<TrackerStoreException>(() => OpenAsync($"Host=127.0.0.1;Port={port};Username=shoal;Timeout=5"));

        Assert.StartsWith($"cannot connect to PostgreSQL at 127.0.0.1:{port}", refused.Message, StringComparison.Ordinal);
    }

    private static Task<PostgresTrackerStore> OpenAsync(string connectionString) =>
        PostgresTrackerStore.OpenAsync(connectionString, TimeSpan.FromMinutes(30), PeerCapsForTests.Unlimited, TimeProvider.System, NullLogger.Instance, default);

    // Nothing listens on a port just released on loopback.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
