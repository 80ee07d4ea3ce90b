using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Logging;

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
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PostgresPeerSweeper(NpgsqlDataSource dataSource, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _loop = SweepPeriodicallyAsync(_stop.Token);
    }

    /// <summary>Deletes the expired peers now; returns how many (0 when another instance is sweeping).</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand sweep = _dataSource.CreateCommand(SweepSql);
        sweep.Parameters.Add(new NpgsqlParameter<long>("lock", PostgresAdvisoryLocks.Sweep));
        sweep.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", _time.GetUtcNow()));
        return await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    int swept = await SweepAsync(stop).ConfigureAwait(false);
                    PostgresLog.Swept(_logger, swept);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick tries again; an unreachable database must not end the loop.
                    TrackerLog.StoreWriteFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
