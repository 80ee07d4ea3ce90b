using Microsoft.Extensions.Logging;
using Npgsql;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// Whether the peers table holds the most live peers the tracker keeps (<see cref="PeerCaps.Total"/>),
/// counted every 5 seconds rather than on each announce, where counting a million rows would cost more
/// than the announce. Between counts the cap can be passed by the peers new in that time.
/// </summary>
internal sealed class PostgresPeerCensus : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    // LIMIT: the count stops at the cap, so a table far over it costs no more than one at it.
    private const string CountSql = "SELECT count(*) FROM (SELECT 1 FROM peers WHERE expires_at > @now LIMIT @cap) AS live";

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _cap;
    private readonly TimeProvider _time;
    private readonly PeriodicWork _work;
    private volatile bool _full;

    public PostgresPeerCensus(NpgsqlDataSource dataSource, int cap, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _cap = cap;
        _time = time;
        _work = new PeriodicWork(Period, time, CountAsync, logger);
    }

    public bool IsFull => _full;

    /// <summary>Counts the live peers now (up to the cap), as the background count does every few seconds.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand count = _dataSource.CreateCommand(CountSql);
        count.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", _time.GetUtcNow()));
        count.Parameters.Add(new NpgsqlParameter<int>("cap", _cap));
        long live = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        _full = live >= _cap;
        return live;
    }

    public ValueTask DisposeAsync() => _work.DisposeAsync();
}
