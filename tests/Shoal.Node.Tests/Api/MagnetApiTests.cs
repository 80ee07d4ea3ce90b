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

    public void Dispose() => _folder.Dispose();
}
