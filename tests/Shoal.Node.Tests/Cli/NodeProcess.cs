using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Shoal.Interop.Tests;

namespace Shoal.Node.Tests.Cli;

/// <summary>A real <c>shoal node</c> process on loopback (no DHT, no local discovery), and a client of its API.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    /// <summary>
    /// The shoal under test: <c>SHOAL_BINARY</c> when set (./test.sh sets it to ./shoal's native build, the one people
    /// run), else the build beside these tests.
    /// </summary>
    public static readonly string Shoal = Environment.GetEnvironmentVariable("SHOAL_BINARY") is { Length: > 0 } binary ? binary : Path.Combine(AppContext.BaseDirectory, "shoal");

    private NodeProcess(RunningProcess process, HttpClient client)
    {
        Process = process;
        Client = client;
    }

    public RunningProcess Process { get; }

    /// <summary>Sends the node's token.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts <c>shoal node --data DATA</c>, allowed to share what is under <paramref name="shareRoot"/>, and waits until its API answers.</summary>
    public static async Task<NodeProcess> StartAsync(string data, string downloads, string shareRoot)
    {
        int port = FreePort();
        RunningProcess process = RunningProcess.Start(
            Shoal,
            ["node", "--data", data, "--download-dir", downloads, "--api", $"127.0.0.1:{port}", "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd"],
            environment: new Dictionary<string, string> { ["SHOAL_Node__ShareRoots"] = shareRoot });
        try
        {
            await process.WaitForOutputLineAsync(l => l.StartsWith("api: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "api-token")).Trim());
        return new NodeProcess(process, client);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
