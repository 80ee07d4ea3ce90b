using Microsoft.Extensions.Hosting;

namespace Shoal.Tracker;

/// <summary>
/// Gives back the memory a burst of announces left committed. The GC keeps the regions a burst's garbage
/// took for its next allocations, up to its gen0 budget, which it sizes from the CPU's cache (here a
/// reported 300 MB L3: a budget of about 240 MB), so after a fill of 1,000,000 peers the process held three
/// times its live heap (bench/README.md, Tracker). Once the tracker is quiet (under
/// <see cref="QuietBytesPerSecond"/> allocated in a second) after more than <see cref="Slack"/> allocated since
/// start or the last give-back (what the GC may be holding committed: its own figures change only at a
/// collection), one aggressive collection decommits what is not live. It repeats only after that much more
/// allocation, and never while announces keep the tracker allocating.
/// </summary>
internal sealed class HeapGiveBack : BackgroundService
{
    public const long QuietBytesPerSecond = 1 << 20;
    public const long Slack = 32L << 20;

    public static bool ShouldCollect(long allocatedLastSecond, long allocatedSinceGiveBack) =>
        allocatedLastSecond < QuietBytesPerSecond && allocatedSinceGiveBack > Slack;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long allocated = GC.GetTotalAllocatedBytes();
        long givenBackAt = allocated;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                long now = GC.GetTotalAllocatedBytes();
                if (ShouldCollect(now - allocated, now - givenBackAt))
                {
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    givenBackAt = now;
                }

                allocated = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
