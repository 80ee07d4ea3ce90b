using Microsoft.Extensions.Logging;
using Shoal.Tracker.Logging;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// Runs a piece of database upkeep every period until disposed. A failure is logged and the next tick
/// tries again: an unreachable database must not end the loop.
/// </summary>
internal sealed class PeriodicWork : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PeriodicWork(TimeSpan period, TimeProvider time, Func<CancellationToken, Task> work, ILogger logger)
    {
        _loop = RunAsync(period, time, work, logger, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task RunAsync(TimeSpan period, TimeProvider time, Func<CancellationToken, Task> work, ILogger logger, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await work(stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    TrackerLog.StoreWriteFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
