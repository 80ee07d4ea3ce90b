using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

/// <summary><c>PATCH /api/v1/torrents/{id}/files</c>: a user changes which files to fetch while the download runs.</summary>
public sealed class FilePriorityApiTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Files_chosen_by_so_and_then_changed_mid_download_are_fetched_alone_and_the_choice_survives_a_restart()
    {
        string[] names = ["one.bin", "two.bin", "three.bin", "four.bin"];
        byte[][] contents = [.. names.Select((_, i) => TempFolder.RandomBytes(400_000 + (i * 1000), 20 + i))];
        foreach ((string name, byte[] content) in names.Zip(contents))
        {
            _folder.File($"seeder/album/{name}", content);
        }

        string downloads = Path.Combine(_folder.Path, "downloads");
        string leecherFolder = Path.Combine(_folder.Path, "leecher");
        await using NodeHost seeder = await TestNode.StartAsync(Path.Combine(_folder.Path, "seeder"));
        using HttpClient seederClient = TestNode.Client(seeder);
        (_, JsonElement share) = await AddJsonAsync(seederClient, new { share = Path.Combine(_folder.Path, "seeder", "album") });
        string id = share.GetProperty("id").GetString()!;
        JsonElement shared = await WaitForStateAsync(seederClient, id, "seeding");
        (_, JsonElement sharedDetails) = await SendAsync(seederClient, HttpMethod.Get, $"api/v1/torrents/{id}");
        Dictionary<string, int> index = sharedDetails.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("index").GetInt32());

        // Slow enough that the change of mind comes while the first file is still on its way.
        await SendAsync(seederClient, HttpMethod.Patch, $"api/v1/torrents/{id}", JsonContent.Create(new { uploadLimit = 300_000 }));
        string magnet = $"{shared.GetProperty("magnet").GetString()}&so={index["album/one.bin"]}&x.pe=127.0.0.1:{seeder.Session.ListenEndPoint.Port}";

        await using (NodeHost leecher = await TestNode.StartAsync(leecherFolder))
        {
            using HttpClient client = TestNode.Client(leecher);
            Assert.Equal(HttpStatusCode.Created, (await AddJsonAsync(client, new { magnet, savePath = downloads })).Status);
            JsonElement running = await WaitForAsync(client, id, d => d.GetProperty("state").GetString() == "downloading" && d.GetProperty("progress").GetDouble() > 0);
            Assert.Equal(["normal", "skip", "skip", "skip"], Priorities(running, names));

            (HttpStatusCode status, JsonElement patched) = await SendAsync(
                client, HttpMethod.Patch, $"api/v1/torrents/{id}/files", JsonContent.Create(new { files = new[] { new { index = index["album/three.bin"], priority = "high" } } }));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["normal", "skip", "high", "skip"], Priorities(patched, names));
            Assert.True(patched.GetProperty("progress").GetDouble() < 1);

            (HttpStatusCode badIndex, _) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}/files", JsonContent.Create(new { files = new[] { new { index = 999, priority = "skip" } } }));
            (HttpStatusCode badPriority, _) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}/files", JsonContent.Create(new { files = new[] { new { index = 0, priority = "urgent" } } }));
            Assert.Equal(HttpStatusCode.BadRequest, badIndex);
            Assert.Equal(HttpStatusCode.BadRequest, badPriority);

            await WaitForAsync(client, id, d => d.GetProperty("state").GetString() == "seeding", TimeSpan.FromSeconds(60));
            Assert.Equal(contents[0], File.ReadAllBytes(Path.Combine(downloads, "album", "one.bin")));
            Assert.Equal(contents[2], File.ReadAllBytes(Path.Combine(downloads, "album", "three.bin")));
            Assert.False(File.Exists(Path.Combine(downloads, "album", "two.bin")), "a skipped file was created");
            Assert.False(File.Exists(Path.Combine(downloads, "album", "four.bin")), "a skipped file was created");
        }

        await using NodeHost restarted = await TestNode.StartAsync(leecherFolder);
        using HttpClient again = TestNode.Client(restarted);
        JsonElement kept = await WaitForAsync(again, id, d => d.GetProperty("state").GetString() == "seeding");
        Assert.Equal(["normal", "skip", "high", "skip"], Priorities(kept, names));
        Assert.False(File.Exists(Path.Combine(downloads, "album", "two.bin")));
    }

    [Fact]
    public async Task A_shared_hybrid_takes_normal_priorities_and_refuses_a_skip()
    {
        _folder.File("roots/album/one.bin", TempFolder.RandomBytes(70_000, 30));
        _folder.File("roots/album/two.bin", TempFolder.RandomBytes(90_000, 31));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, JsonElement added) = await AddJsonAsync(client, new { share = Path.Combine(_folder.Path, "roots", "album") });
        string id = added.GetProperty("id").GetString()!;
        JsonElement shared = await WaitForStateAsync(client, id, "seeding");
        (_, JsonElement details) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");
        int[] indices = [.. details.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("index").GetInt32())];

        // A hybrid's second file comes after a padding file: its index is past the count of files listed.
        Assert.Equal(2, indices[1]);
        (HttpStatusCode normal, _) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}/files", JsonContent.Create(new { files = new[] { new { index = indices[0], priority = "high" } } }));
        (HttpStatusCode skip, JsonElement refusal) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}/files", JsonContent.Create(new { files = new[] { new { index = indices[1], priority = "skip" } } }));

        Assert.Equal(HttpStatusCode.OK, normal);
        Assert.Equal(HttpStatusCode.Conflict, skip);
        Assert.Contains("nothing to skip", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("seeding", shared.GetProperty("state").GetString());
    }

    public void Dispose() => _folder.Dispose();

    private static string[] Priorities(JsonElement details, string[] names)
    {
        Dictionary<string, string> byPath = details.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("priority").GetString()!);
        return [.. names.Select(n => byPath[$"album/{n}"])];
    }

    /// <summary>Asks for the torrent's details until <paramref name="done"/> holds.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan? limit = null)
    {
        DateTime deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            (HttpStatusCode status, JsonElement details) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");
            if (status == HttpStatusCode.OK && details.GetProperty("files").GetArrayLength() > 0 && done(details))
            {
                return details;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the torrent never got there: {details}");
            await Task.Delay(20);
        }
    }
}
