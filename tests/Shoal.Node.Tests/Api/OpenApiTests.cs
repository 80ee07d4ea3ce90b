using System.Net;
using System.Text.Json;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

public sealed class OpenApiTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_openapi_document_describes_every_route_with_its_types()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode status, JsonElement document) = await SendAsync(client, HttpMethod.Get, "api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        JsonElement paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/v1/torrents", "/api/v1/torrents/{id}", "/api/v1/torrents/{id}/pause", "/api/v1/torrents/{id}/resume",
            "/api/v1/torrents/{id}/recheck", "/api/v1/settings", "/api/v1/events", "/api/v1/stats", "/api/v1/reachability", "/api/v1/groups",
            "/api/v1/groups/{group}/files/{infoHash}",
        ];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), $"{path} is not described"));
        Assert.True(paths.GetProperty("/api/v1/torrents/{id}").TryGetProperty("delete", out _));
        JsonElement schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("TorrentView").GetProperty("properties").TryGetProperty("infoHashV1", out _));
        Assert.True(schemas.TryGetProperty("TorrentDetails", out _));
    }

    [Fact]
    public async Task The_openapi_document_needs_the_token_like_the_rest_of_the_api()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using var anonymous = new HttpClient { BaseAddress = node.ApiUrl };

        using HttpResponseMessage response = await anonymous.GetAsync(new Uri("api/v1/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public void Dispose() => _folder.Dispose();
}
