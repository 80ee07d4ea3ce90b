using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// Deletes the peers that stopped announcing, every minute until disposed. Announces already ignore
/// expired rows; sweeping only keeps the table small.
/// </summary>
internal sealed class PostgresPeerSweeper : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    // Materialized, so the lock is tried once per sweep. Every instance runs this; the one that wins
    // the lock sweeps, the others skip, so concurrent sweeps neither wait for nor deadlock each other.
    private const string SweepSql = """
        WITH sweeper AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(@lock) AS chosen)
        DELETE FROM peers USING sweeper WHERE sweeper.chosen AND peers.expires_at <= @now
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeriodicWork _work;

    public PostgresPeerSweeper(NpgsqlDataSource dataSource, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _work = new PeriodicWork(Period, time, SweepAndLogAsync, logger);
    }

    /// <summary>Deletes the expired peers now; returns how many (0 when another instance is sweeping).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand sweep = _dataSource.CreateCommand(SweepSql);
        sweep.Parameters.Add(new NpgsqlParameter<long>("lock", PostgresAdvisoryLocks.Sweep));
        sweep.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", _time.GetUtcNow()));
        return await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _work.DisposeAsync();

    private async Task SweepAndLogAsync(CancellationToken stop)
    {
        int swept = await SweepAsync(stop).ConfigureAwait(false);
        PostgresLog.Swept(_logger, swept);
    }
}
