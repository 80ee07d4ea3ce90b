using System.Diagnostics;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// A flash crowd on virtual time: one seeder and many leechers, all arriving at once, each behind an access link with
/// its own upload and download caps and latency, wired as a tracker would (a bounded random subset each), running the
/// real swarm logic over real wire bytes. Everything random follows from <see cref="SimulationSetup.Seed"/>.
/// </summary>
internal static class WholeSwarmSimulation
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(0.5);

    public static async Task<SimulationResult> RunAsync(SimulationSetup setup)
    {
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(setup.Size, setup.PieceLength, setup.Seed);
        var clock = Stopwatch.StartNew();
        TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        SimulatedNode seeder = scenario.AddSeeder(setup.SeederSettings);
        seeder.UploadBandwidth = setup.SeederUpload;
        seeder.Latency = Draw(scenario.Random, setup.Latency);
        for (int i = 0; i < setup.Leechers; i++)
        {
            SimulatedNode leecher = scenario.AddLeecher(setup.LeecherSettings, sharedContent: true);
            leecher.UploadBandwidth = Draw(scenario.Random, setup.LeecherUpload);
            leecher.DownloadBandwidth = Draw(scenario.Random, setup.LeecherDownload);
            leecher.Latency = Draw(scenario.Random, setup.Latency);
        }

        scenario.ConnectLikeTracker(setup.TrackerAnswer, setup.MaxConnections);
        List<SwarmSample> samples = [];
        void Sample()
        {
            samples.Add(new SwarmSample(
                scenario.Network.Now.TotalSeconds,
                scenario.Leechers.Sum(l => l.Swarm.Uploaded),
                seeder.Swarm.Uploaded,
                scenario.Leechers.Count(l => l.IsUplinkBusy),
                scenario.Leechers.Count(l => l.CompletedAt is not null)));
            scenario.Network.Schedule(SampleInterval, Sample);
        }

        scenario.Network.Schedule(SampleInterval, Sample);
        bool finished = scenario.RunUntilLeechersComplete(setup.Deadline);
        double realSeconds = clock.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        if (finished)
        {
            scenario.AssertLeechersHaveContent();
        }

        scenario.StopAndAssertBuffersReturned();
        double[] completions = [.. scenario.Leechers.Select(l => l.CompletedAt?.TotalSeconds ?? double.PositiveInfinity)];
        double ideal = IdealSeconds(setup.Size, setup.PieceLength, seeder.UploadBandwidth, [.. scenario.Leechers.Select(l => (l.UploadBandwidth, l.DownloadBandwidth))]);
        return new SimulationResult(finished, ideal, completions.Max(), completions, seeder.Swarm.Uploaded, samples, realSeconds, cpuSeconds, scenario.Network.EventsRun);
    }

    /// <summary>
    /// The least time in which a seeder with upload <paramref name="seederUpload"/> can give a file of
    /// <paramref name="size"/> bytes to every leecher. Treating data as a fluid, three bounds hold (Kumar and Ross,
    /// "Peer-assisted file distribution: the minimum distribution time", 2006), and the largest is reachable:
    /// the seeder must send every byte at least once (size ÷ its upload); the slowest downloader must receive every
    /// byte (size ÷ its download); and the swarm must deliver size × N bytes with the seeder's and all leechers' uploads
    /// (size × N ÷ their sum). BitTorrent is not a fluid: a leecher forwards only a whole, verified piece, so the last
    /// piece the seeder sends reaches the other leechers at least one piece time later (piece ÷ the fastest upload).
    /// That piece time is the unavoidable pipeline start of a flash crowd seen from its end; the round trips of
    /// requests and the time pieces take to spread at the start are left out, so the ideal is below what any client
    /// can reach.
    /// </summary>
    public static double IdealSeconds(long size, int pieceLength, long seederUpload, IReadOnlyList<(long Upload, long Download)> leechers)
    {
        double bySeeder = (double)size / seederUpload;
        double byDownload = leechers.Max(l => l.Download > 0 ? (double)size / l.Download : 0);
        double byUploads = (double)size * leechers.Count / (seederUpload + leechers.Sum(l => (double)l.Upload));
        double lastPieceHop = (double)Math.Min(pieceLength, size) / Math.Max(seederUpload, leechers.Max(l => l.Upload));
        return Math.Max(bySeeder, Math.Max(byDownload, byUploads)) + lastPieceHop;
    }

    private static long Draw(Random random, (long Least, long Most) range) =>
        range.Least + (long)(random.NextDouble() * (range.Most - range.Least));

    private static TimeSpan Draw(Random random, (TimeSpan Least, TimeSpan Most) range) =>
        range.Least + ((range.Most - range.Least) * random.NextDouble());
}

/// <summary>
/// One simulation's parameters; bandwidths in bytes per second, each leecher's drawn uniformly from its range. The
/// defaults: 16 MiB in 64 pieces (few pieces keep a thousand swarms' HAVE traffic small; blocks stay 16 KiB), every
/// upload 4 MiB/s as in the swarm target, downloads 2 to 8 times that, as on home lines.
/// </summary>
internal sealed record SimulationSetup
{
    public int Seed { get; init; } = 1;

    public int Leechers { get; init; } = 1000;

    public int Size { get; init; } = 16 * 1024 * 1024;

    public int PieceLength { get; init; } = 256 * 1024;

    public long SeederUpload { get; init; } = 4 * 1024 * 1024;

    public (long Least, long Most) LeecherUpload { get; init; } = (4 * 1024 * 1024, 4 * 1024 * 1024);

    public (long Least, long Most) LeecherDownload { get; init; } = (8 * 1024 * 1024, 32 * 1024 * 1024);

    /// <summary>One-way delay of each node's access link: a path's is the sum of its two ends'.</summary>
    public (TimeSpan Least, TimeSpan Most) Latency { get; init; } = (TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40));

    /// <summary>Peers a tracker gives each leecher (50 is the usual <c>numwant</c>).</summary>
    public int TrackerAnswer { get; init; } = 50;

    public int MaxConnections { get; init; } = 50;

    /// <summary>The seeder sends every piece once before any twice (BEP 16's initial seeding), as the CLI's seeders do.</summary>
    public SwarmSettings? SeederSettings { get; init; } = SwarmSettings.Default with { InitialSeeding = true };

    public SwarmSettings? LeecherSettings { get; init; }

    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>The swarm every half virtual second: bytes uploaded so far, leechers whose uplink was sending, leechers done.</summary>
internal sealed record SwarmSample(double Seconds, long LeechersUploaded, long SeederUploaded, int BusyUplinks, int Completed);

/// <param name="CompletionSeconds">Each leecher's completion, in virtual seconds from the start; infinite if it did not finish.</param>
internal sealed record SimulationResult(
    bool Finished,
    double IdealSeconds,
    double LastCompletionSeconds,
    double[] CompletionSeconds,
    long SeederUploadedBytes,
    IReadOnlyList<SwarmSample> Samples,
    double RealSeconds,
    double CpuSeconds,
    long Events)
{
    public double Ratio => LastCompletionSeconds / IdealSeconds;
}
