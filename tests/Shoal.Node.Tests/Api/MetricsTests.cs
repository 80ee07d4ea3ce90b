using System.Net;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

public sealed class MetricsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Metrics_shows_torrents_by_state_in_prometheus_text_and_needs_the_token()
    {
        string file = _folder.File("shared/clip.bin", TempFolder.RandomBytes(100_000, 7));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, System.Text.Json.JsonElement added) = await AddJsonAsync(client, new { share = file });
        await WaitForStateAsync(client, added.GetProperty("id").GetString()!, "seeding");

        using HttpResponseMessage metrics = await client.GetAsync(new Uri("metrics", UriKind.Relative));
        string text = await metrics.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE shoal_node_torrents gauge", text, StringComparison.Ordinal);
        Assert.Matches("""(?m)^shoal_node_torrents\{[^}]*state="seeding"[^}]*\} 1( |$)""", text);
        Assert.Contains("shoal_node_uploaded_bytes_total", text, StringComparison.Ordinal);

        using var anonymous = new HttpClient { BaseAddress = node.ApiUrl };
        using HttpResponseMessage refused = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    public void Dispose() => _folder.Dispose();
}
