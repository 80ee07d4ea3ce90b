using System.Diagnostics;

namespace Shoal.TrackerLoad;

/// <summary>Runs the workers to the end of the schedule and sums what they counted.</summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(LoadOptions options)
    {
        var swarms = new Swarms(options.Hashes, options.Peers, options.Seed);
        var schedule = new Schedule(options);
        var cpu = new CpuWindow(options.WatchPid);
        var cpuStarted = cpu.StartAtAsync(schedule.MeasureFrom);
        var stats = new List<WorkerStats>();
        var workers = new List<Task>();
        if (options.Transport == Transport.Http)
        {
            var writer = new HttpRequestWriter(swarms, options);
            for (var i = 0; i < options.Concurrency; i++)
            {
                var announcer = new HttpAnnouncer(options, writer, schedule, i);
                stats.Add(announcer.Stats);
                workers.Add(Task.Run(announcer.RunAsync));
            }
        }
        var udp = new List<UdpAnnouncer>();
        if (options.Transport == Transport.Udp)
        {
            for (var i = 0; i < options.Concurrency; i++)
            {
                var announcer = new UdpAnnouncer(options, swarms, schedule, i);
                udp.Add(announcer);
                stats.Add(announcer.Stats);
                workers.Add(Task.Run(announcer.RunAsync));
            }
        }
        await Task.WhenAll(workers);
        await cpuStarted;
        cpu.Stop();
        udp.ForEach(announcer => announcer.Dispose());
        var ended = Stopwatch.GetTimestamp();
        var total = new WorkerStats();
        foreach (var worker in stats)
        {
            total.Add(worker);
        }
        var measuredEnd = Math.Min(ended, schedule.Deadline);
        return new LoadResult(options, total, Stopwatch.GetElapsedTime(schedule.MeasureFrom, measuredEnd), cpu);
    }
}
