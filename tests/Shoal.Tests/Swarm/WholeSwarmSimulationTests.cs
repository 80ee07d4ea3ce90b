using System.Globalization;
using System.Text.Json;
using Shoal.Tests.Swarm.Simulation;
using Xunit.Abstractions;

namespace Shoal.Tests.Swarm;

/// <summary>A thousand leechers and one seeder on virtual time: the swarm logic at scale, deterministic for a seed.</summary>
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
        Assert.Equal(first.Events, second.Events);

        SimulationResult other = await WholeSwarmSimulation.RunAsync(setup with { Seed = 8 });
        Assert.NotEqual(first.CompletionSeconds, other.CompletionSeconds);
    }

    /// <summary>
    /// <c>bench/simulation.sh</c>'s run: parameters from the environment (<c>SHOAL_SIM_LEECHERS</c>, <c>SHOAL_SIM_SEEDS</c>),
    /// figures as JSON to <c>SHOAL_SIM_RESULTS</c>; skipped unless that is set.
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
            output.WriteLine($"seed {seed}: {leechers} leechers, ideal {result.IdealSeconds:F2} s, last completion {result.LastCompletionSeconds:F2} s, ratio {result.Ratio:F3}, seeder sent {(double)result.SeederUploadedBytes / setup.Size:F2}x, {result.Events} events in {result.RealSeconds:F1} s real, {result.CpuSeconds:F1} s of CPU, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            output.WriteLine(string.Join(", ", SimulatedLink.Counts.Select(kv => $"{kv.Key}={kv.Value}")) + $" items={SimulatedLink.Items} degree={SimulatedLink.Degree / (double)(leechers + 1)}");
            runs.Add(new
            {
                seed,
                leechers,
                size_bytes = setup.Size,
                piece_length_bytes = setup.PieceLength,
                ideal_s = result.IdealSeconds,
                last_completion_s = result.Finished ? result.LastCompletionSeconds : (double?)null,
                ratio = result.Finished ? result.Ratio : (double?)null,
                real_seconds = result.RealSeconds,
                cpu_seconds = result.CpuSeconds,
                seeder_uploaded_bytes = result.SeederUploadedBytes,
                events = result.Events,
                completion_s = result.CompletionSeconds.Select(c => double.IsFinite(c) ? c : (double?)null),
            });
        }

        await File.WriteAllTextAsync(Environment.GetEnvironmentVariable("SHOAL_SIM_RESULTS")!, JsonSerializer.Serialize(new { runs }));
    }
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
