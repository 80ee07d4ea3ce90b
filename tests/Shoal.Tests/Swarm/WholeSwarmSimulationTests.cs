using System.Globalization;
using System.Text.Json;
using Shoal.Tests.Swarm.Simulation;
using Xunit.Abstractions;

namespace Shoal.Tests.Swarm;

/// <summary>
/// A thousand leechers and one seeder on virtual time (<see cref="WholeSwarmSimulation"/>): the swarm logic at scale,
/// deterministic for a seed. Timings against the ideal are reported, not asserted: they measure policy, which moves.
/// </summary>
public sealed class WholeSwarmSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_same_seed_gives_the_same_swarm_to_the_tick()
    {
        var setup = new SimulationSetup { Seed = 7, Leechers = 40, Size = 4 * 1024 * 1024 };
        SimulationResult first = await WholeSwarmSimulation.RunAsync(setup);
        SimulationResult second = await WholeSwarmSimulation.RunAsync(setup);
        Assert.True(first.Finished, "the leechers did not finish");
        Assert.Equal(first.CompletionSeconds, second.CompletionSeconds);
        Assert.Equal(first.SeederUploadedBytes, second.SeederUploadedBytes);
        Assert.Equal(first.Samples, second.Samples);
        Assert.Equal(first.Events, second.Events);

        SimulationResult other = await WholeSwarmSimulation.RunAsync(setup with { Seed = 8 });
        Assert.NotEqual(first.CompletionSeconds, other.CompletionSeconds);
    }

    [Fact]
    public async Task A_thousand_leechers_behind_capped_links_all_get_every_piece()
    {
        var setup = new SimulationSetup { Seed = 1, Leechers = 1000, Size = 8 * 1024 * 1024, PieceLength = 128 * 1024 };
        SimulationResult result = await WholeSwarmSimulation.RunAsync(setup);
        output.WriteLine(Describe(setup, result));
        Assert.True(result.Finished, $"not every leecher finished within {setup.Deadline}");
        Assert.True(result.SeederUploadedBytes >= setup.Size, "the seeder did not send every piece");
    }

    /// <summary>
    /// <c>bench/simulation.sh</c>'s run: parameters from the environment (<c>SHOAL_SIM_LEECHERS</c>, <c>SHOAL_SIM_SEEDS</c>
    /// separated by commas), figures as JSON to <c>SHOAL_SIM_RESULTS</c>; skipped unless that is set.
    /// </summary>
    [SimulationBenchFact]
    public async Task Bench()
    {
        int leechers = int.Parse(Environment.GetEnvironmentVariable("SHOAL_SIM_LEECHERS") ?? "1000", CultureInfo.InvariantCulture);
        int[] seeds = [.. (Environment.GetEnvironmentVariable("SHOAL_SIM_SEEDS") ?? "1").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        var runs = new List<object>();
        foreach (int seed in seeds)
        {
            var setup = new SimulationSetup { Seed = seed, Leechers = leechers };
            SimulationResult result = await WholeSwarmSimulation.RunAsync(setup);
            output.WriteLine(Describe(setup, result));
            runs.Add(new
            {
                seed,
                leechers,
                size_bytes = setup.Size,
                piece_length_bytes = setup.PieceLength,
                upload_cap_bytes_per_s = setup.SeederUpload,
                ideal_s = result.IdealSeconds,
                last_completion_s = result.Finished ? result.LastCompletionSeconds : (double?)null,
                ratio = result.Finished ? result.Ratio : (double?)null,
                real_seconds = result.RealSeconds,
                cpu_seconds = result.CpuSeconds,
                load_average = LoadAverage(),
                events = result.Events,
                seeder_uploaded_bytes = result.SeederUploadedBytes,
                seeder_upload_ratio = (double)result.SeederUploadedBytes / setup.Size,
                completion_s = result.CompletionSeconds.Select(c => double.IsFinite(c) ? c : (double?)null),
                samples = result.Samples.Select(s => new
                {
                    t_s = s.Seconds,
                    leechers_uploaded_bytes = s.LeechersUploaded,
                    seeder_uploaded_bytes = s.SeederUploaded,
                    busy_uplinks = s.BusyUplinks,
                    completed = s.Completed,
                }),
            });
        }

        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("SHOAL_SIM_RESULTS")!, JsonSerializer.Serialize(new { runs }));
    }

    private static string Describe(SimulationSetup setup, SimulationResult result) =>
        $"seed {setup.Seed}: {setup.Leechers} leechers, ideal {result.IdealSeconds:F2} s, last completion {result.LastCompletionSeconds:F2} s, " +
        $"ratio {result.Ratio:F3}, seeder sent {(double)result.SeederUploadedBytes / setup.Size:F2}x the file; " +
        $"{result.Events} events in {result.RealSeconds:F1} s real, {result.CpuSeconds:F1} s of CPU, load average {LoadAverage()}";

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}

/// <summary>A fact that runs only when <c>bench/simulation.sh</c> asks for it, by setting <c>SHOAL_SIM_RESULTS</c>.</summary>
public sealed class SimulationBenchFactAttribute : FactAttribute
{
    public SimulationBenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SHOAL_SIM_RESULTS") is null)
        {
            Skip = "run by bench/simulation.sh";
        }
    }
}
