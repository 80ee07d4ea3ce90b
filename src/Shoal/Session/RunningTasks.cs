namespace Shoal.Session;

/// <summary>The connections of a torrent that run now (peers, web seeds), so that a stop can wait for all of them to end.</summary>
internal sealed class RunningTasks(Lock gate)
{
    private readonly HashSet<Task> _running = [];

    /// <summary>Awaits <paramref name="running"/>, counted among those running until it ends.</summary>
    public async Task RunAsync(Task running)
    {
        lock (gate)
        {
            _running.Add(running);
        }

        try
        {
            await running.ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                _running.Remove(running);
            }
        }
    }

    /// <summary>Completes when every task running now has ended.</summary>
    public Task WhenAllEndedAsync()
    {
        lock (gate)
        {
            return Task.WhenAll([.. _running]);
        }
    }
}
