namespace Shoal.Tests.Net;

/// <summary>Runs asynchronous code against a <see cref="ManualTimeProvider"/>, jumping from timer to timer.</summary>
internal static class VirtualTime
{
    /// <summary>Advances the clock to each timer in turn until every task has finished; returns the virtual time spent.</summary>
    public static async Task<TimeSpan> RunAsync(ManualTimeProvider time, params Task[] tasks)
    {
        TimeSpan start = time.Elapsed;
        Task all = Task.WhenAll(tasks);
        int idle = 0;
        while (!all.IsCompleted)
        {
            if (time.NextDue is { } due)
            {
                time.Advance(due - time.Elapsed);
                idle = 0;
            }
            else
            {
                // A continuation may still be on its way to arming the next timer.
                Assert.True(++idle < 1000, "the tasks neither finished nor armed a timer");
                await Task.Delay(1);
            }
        }

        await all;
        return time.Elapsed - start;
    }
}
