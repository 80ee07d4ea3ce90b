using System.Text.Json;
using Shoal.Interop.Tests;
using Shoal.Metainfo.Hashing;
using Shoal.Tests;

namespace Shoal.Node.Tests.Cli;

/// <summary>
/// `shoal doctor` run as a process: asking a running node (`--data`), and looking for itself with a session of its own.
/// The test environment turns port mapping off and leaves the DHT no bootstrap node (ShoalDataFolder), so nothing
/// leaves this machine; the lab (Shoal.Interop.Tests/Lab) runs it behind real routers.
/// </summary>
public sealed class DoctorCommandTests : IDisposable
{
    private static readonly string Shoal = NodeProcess.Shoal;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Asked_about_a_running_node_it_reports_the_nodes_ports_and_that_nothing_maps_them()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        int port = node.Session.ListenEndPoint.Port;

        ProcessResult doctor = await RunAsync("doctor", "--data", Path.Combine(_folder.Path, "data"));

        Assert.True(doctor.ExitCode == 0, $"{doctor.ExitCode}: {doctor.Output} {doctor.Error}");
        string[] lines = doctor.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"shoal doctor: the node at {node.ApiUrl}", lines[0]);
        Assert.Contains($"ok    ports    TCP port {port} is open for peers", lines);

        // What the router line and the verdict say depends on this machine's own address (public, or behind a router).
        Assert.Contains(lines, l => l.StartsWith("warn  router   TCP {port} and UDP {port}: port mapping is off (setting Net:PortMapping)".Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), StringComparison.Ordinal)
            || l.Contains("nothing to map, this machine's own address", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" verdict  peers on the internet can", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_its_own_it_opens_the_port_asked_for_and_says_the_DHT_has_nowhere_to_start()
    {
        ProcessResult doctor = await RunAsync("doctor", "--port", "0", "--wait", "1", "--json");

        // A DHT with no node to start from is a problem to fix: exit code 1.
        Assert.True(doctor.ExitCode == 1, $"{doctor.ExitCode}: {doctor.Output} {doctor.Error}");
        JsonElement report = JsonDocument.Parse(doctor.Output).RootElement;
        JsonElement facts = report.GetProperty("facts");
        Assert.Equal("this machine, on a session of its own", facts.GetProperty("source").GetString());
        int tcp = facts.GetProperty("tcpPort").GetInt32();
        Assert.NotEqual(0, tcp);
        Assert.Equal(tcp, facts.GetProperty("udpPort").GetInt32());
        Assert.All(facts.GetProperty("mappings").EnumerateArray(), m => Assert.Equal("off", m.GetProperty("state").GetString()));
        JsonElement dht = Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("topic").GetString() == "dht");
        Assert.Equal("problem", dht.GetProperty("level").GetString());
        Assert.StartsWith("no DHT node answered: no bootstrap nodes are set", dht.GetProperty("text").GetString(), StringComparison.Ordinal);

        // The shoal under test (the native build ./test.sh publishes) uses the lanes of a processor that has them.
        bool processorHasLanes = ContentHashing.ProcessorHasLanes(File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)));
        Assert.Equal(processorHasLanes, facts.GetProperty("hashing").GetProperty("processorHasLanes").GetBoolean());
        Assert.Equal(processorHasLanes, facts.GetProperty("hashing").GetProperty("inLanes").GetBoolean());
    }

    public void Dispose() => _folder.Dispose();

    private Task<ProcessResult> RunAsync(params string[] arguments) => ProcessRunner.RunAsync(
        Shoal,
        arguments,
        timeout: TimeSpan.FromSeconds(60),
        environment: new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = Path.Combine(_folder.Path, "shoal-data") });
}
