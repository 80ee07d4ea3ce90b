using System.Net;
using System.Net.Http.Headers;
using Shoal.Interop.Tests;
using Shoal.Tests;

namespace Shoal.Node.Tests.Cli;

public sealed class NodeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Shoal_node_prints_its_api_and_web_login_answers_with_the_token_and_exits_0_on_sigterm()
    {
        int port = NodeProcess.FreePort();
        await using RunningProcess node = Start("--api", $"127.0.0.1:{port}");

        string line = await node.WaitForOutputLineAsync(l => l.StartsWith("api: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"api: http://127.0.0.1:{port}/", line);
        string token = File.ReadAllText(Path.Combine(_folder.Path, "shoal-data", "node", "api-token")).Trim();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage list = await client.GetAsync(new Uri("api/v1/torrents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        string web = await node.WaitForOutputLineAsync(l => l.StartsWith("web: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"web: http://127.0.0.1:{port}/login?token={token}", web);

        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Shoal_node_refuses_a_non_loopback_api_address_without_insecure_bind()
    {
        await using RunningProcess node = Start("--api", $"0.0.0.0:{NodeProcess.FreePort()}");

        Assert.Equal(1, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(node.ErrorLines, l => l.Contains("--insecure-bind", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Dispose();

    private RunningProcess Start(params string[] arguments) => RunningProcess.Start(
        NodeProcess.Shoal,
        ["node", "--port", "0", "--no-dht", "--no-lsd", "--download-dir", Path.Combine(_folder.Path, "downloads"), .. arguments],
        environment: new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = Path.Combine(_folder.Path, "shoal-data") });
}
