using System.Text.Json;
using Shoal.Interop.Tests;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Cli;

/// <summary>`shoal watch` run as a process, its output not a terminal, so it prints one line per change.</summary>
public sealed class WatchCommandTests : IDisposable
{
    private static readonly string Shoal = NodeProcess.Shoal;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Watch_prints_the_torrents_then_a_line_per_change_and_exits_0_when_stopped()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        string first = await ShareAsync(client, "first.bin", 1);
        await WaitForStateAsync(client, first, "seeding");

        await using RunningProcess watch = RunningProcess.Start(Shoal, ["watch", .. DataFlags()], environment: Environment());
        Assert.Equal($"torrent {first} first.bin: seeding, 100.0 %", await watch.WaitForOutputLineAsync(l => l.StartsWith("torrent ", StringComparison.Ordinal), Patience));

        string second = await ShareAsync(client, "second.bin", 2);
        await watch.WaitForOutputLineAsync(l => l.StartsWith($"added {second} second.bin: ", StringComparison.Ordinal), Patience);
        await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{first}/pause");
        Assert.Equal(
            $"changed {first} first.bin: state=paused",
            await watch.WaitForOutputLineAsync(l => l.StartsWith($"changed {first} ", StringComparison.Ordinal), Patience));
        await SendAsync(client, HttpMethod.Delete, $"api/v1/torrents/{second}");
        await watch.WaitForOutputLineAsync(l => l == $"removed {second} second.bin", Patience);

        Assert.Equal(0, await watch.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(watch.ErrorLines);
    }

    [Fact]
    public async Task Watch_without_a_running_node_says_how_to_start_one_and_exits_1()
    {
        ProcessResult result = await ProcessRunner.RunAsync(Shoal, ["watch", .. DataFlags()], timeout: Patience, environment: Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("shoal: no node running at http://127.0.0.1:9180/; start one with: shoal node", result.Error.Trim());
    }

    public void Dispose() => _folder.Dispose();

    private string[] DataFlags() => ["--data", Path.Combine(_folder.Path, "data")];

    private Dictionary<string, string> Environment() => new() { ["SHOAL_DATA_DIR"] = Path.Combine(_folder.Path, "shoal-data") };

    private async Task<string> ShareAsync(HttpClient client, string name, int seed)
    {
        string file = _folder.File($"shared/{name}", TempFolder.RandomBytes(50_000, seed));
        JsonElement added = (await AddJsonAsync(client, new { share = file })).Body;
        return added.GetProperty("id").GetString()!;
    }
}
