using System.Net;
using System.Text.Json;
using Shoal.Node.Storage;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

public sealed class MagnetApiTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_magnet_is_fetched_from_another_node_downloaded_and_its_metadata_kept()
    {
        byte[] content = TempFolder.RandomBytes(500_000, 7);
        string shared = _folder.File("seeder/files/movie.bin", content);
        string downloads = Path.Combine(_folder.Path, "leecher-downloads");
        string leecherFolder = Path.Combine(_folder.Path, "leecher");
        string id;
        await using (NodeHost seeder = await TestNode.StartAsync(Path.Combine(_folder.Path, "seeder")))
        {
            using HttpClient seederClient = TestNode.Client(seeder);
            (_, JsonElement share) = await AddJsonAsync(seederClient, new { share = shared });
            id = share.GetProperty("id").GetString()!;
            await WaitForStateAsync(seederClient, id, "seeding");
            string magnet = $"{share.GetProperty("magnet").GetString()}&x.pe=127.0.0.1:{seeder.Session.ListenEndPoint.Port}";

            await using NodeHost leecher = await TestNode.StartAsync(leecherFolder);
            using HttpClient client = TestNode.Client(leecher);
            (HttpStatusCode status, _) = await AddJsonAsync(client, new { magnet, savePath = downloads });
            Assert.Equal(HttpStatusCode.Created, status);
            JsonElement done = await WaitForStateAsync(client, id, "seeding");
            Assert.Equal("movie.bin", done.GetProperty("name").GetString());
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(downloads, "movie.bin")));
        }

        using (NodeStore store = NodeStore.Open(Path.Combine(leecherFolder, "data", "node.db")))
        {
            Assert.Equal(TorrentSourceKind.Metadata, Assert.Single(store.All()).SourceKind);
        }

        // The seeder is gone: only the kept metadata can bring it back seeding.
        await using NodeHost restarted = await TestNode.StartAsync(leecherFolder);
        using HttpClient again = TestNode.Client(restarted);
        await WaitForStateAsync(again, id, "seeding");
    }

    [Theory]
    [InlineData("2db0973f709d9f0f5f0aaf61f4061d2570e776f8", "2db0973f709d9f0f5f0aaf61f4061d2570e776f8", "infoHashV1")]
    [InlineData("FWYJOP3QTWPQ6XYKV5Q7IBQ5EVYOO5XY", "2db0973f709d9f0f5f0aaf61f4061d2570e776f8", "infoHashV1")]
    [InlineData("888696c38e895dd742b8494f449219c12a256a16d0841b93813c841a298df92c", "888696c38e895dd742b8494f449219c12a256a16d0841b93813c841a298df92c", "infoHashV2")]
    public async Task A_bare_info_hash_is_added_as_a_magnet_waiting_for_metadata(string infoHash, string id, string field)
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode status, JsonElement added) = await AddJsonAsync(client, new { infoHash, paused = true });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(id, added.GetProperty("id").GetString());
        Assert.Equal(id, added.GetProperty(field).GetString());
        Assert.Equal("paused", added.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("{\"infoHash\": \"12345\"}", "not an info-hash")]
    [InlineData("{\"infoHash\": \"2db0973f709d9f0f5f0aaf61f4061d2570e776f8\", \"magnet\": \"magnet:?xt=urn:btih:2db0973f709d9f0f5f0aaf61f4061d2570e776f8\"}", "send one of")]
    public async Task A_bad_info_hash_or_two_sources_are_refused_with_the_reason(string body, string reason)
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode status, JsonElement error) = await SendAsync(client, HttpMethod.Post, "api/v1/torrents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
