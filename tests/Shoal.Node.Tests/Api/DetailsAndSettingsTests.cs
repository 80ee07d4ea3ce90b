using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Session;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

public sealed class DetailsAndSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_torrents_details_show_its_files_pieces_and_trackers()
    {
        _folder.File("roots/album/one.bin", TempFolder.RandomBytes(70_000, 1));
        _folder.File("roots/album/two.bin", TempFolder.RandomBytes(30_000, 2));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, JsonElement added) = await AddJsonAsync(client, new { share = Path.Combine(_folder.Path, "roots", "album") });
        string id = added.GetProperty("id").GetString()!;
        await WaitForStateAsync(client, id, "seeding");

        (HttpStatusCode status, JsonElement details) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("seeding", details.GetProperty("state").GetString());
        JsonElement[] files = [.. details.GetProperty("files").EnumerateArray()];
        Assert.Equal(["album/one.bin", "album/two.bin"], files.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal([70_000L, 30_000L], files.Select(f => f.GetProperty("length").GetInt64()));
        Assert.All(files, f => Assert.Equal(1.0, f.GetProperty("progress").GetDouble()));
        int pieceCount = details.GetProperty("pieceCount").GetInt32();
        byte[] bitfield = Convert.FromBase64String(details.GetProperty("pieces").GetString()!);
        Assert.Equal((pieceCount + 7) / 8, bitfield.Length);
        Assert.Equal(pieceCount, bitfield.Sum(b => System.Numerics.BitOperations.PopCount(b)));
        Assert.Empty(details.GetProperty("connections").EnumerateArray());
        Assert.Empty(details.GetProperty("trackers").EnumerateArray());
    }

    [Fact]
    public async Task A_connection_shows_its_transport_and_whether_it_is_encrypted()
    {
        string file = _folder.File("roots/film.bin", TempFolder.RandomBytes(400_000, 6));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, JsonElement shared) = await AddJsonAsync(client, new { share = file });
        string id = shared.GetProperty("id").GetString()!;
        await WaitForStateAsync(client, id, "seeding");

        await using ShoalSession leecher = TestNode.StartEncryptedUtpLeecher(node, shared.GetProperty("magnet").GetString()!, Path.Combine(_folder.Path, "leecher"));

        JsonElement connection = default;
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            (_, JsonElement details) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");
            if (details.GetProperty("connections").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first)
            {
                connection = first;
                break;
            }
        }

        Assert.Equal(JsonValueKind.Object, connection.ValueKind);
        Assert.Equal("utp", connection.GetProperty("transport").GetString());
        Assert.True(connection.GetProperty("encrypted").GetBoolean(), "the leecher requires encryption: MSE must choose RC4");
    }

    [Fact]
    public async Task A_recheck_finds_a_damaged_file_and_the_torrent_no_longer_claims_it()
    {
        string file = _folder.File("roots/film.bin", TempFolder.RandomBytes(200_000, 3));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, JsonElement added) = await AddJsonAsync(client, new { share = file });
        string id = added.GetProperty("id").GetString()!;
        await WaitForStateAsync(client, id, "seeding");
        await using (FileStream damage = File.OpenWrite(file))
        {
            damage.Write(new byte[1000]);
        }

        (HttpStatusCode status, _) = await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{id}/recheck");

        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement after = await WaitForStateAsync(client, id, "downloading");
        Assert.InRange(after.GetProperty("progress").GetDouble(), 0.5, 0.99);
    }

    [Fact]
    public async Task A_torrents_own_limits_change_at_once_and_are_kept_across_restarts()
    {
        string file = _folder.File("roots/film.bin", TempFolder.RandomBytes(50_000, 4));
        string id;
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            using HttpClient client = TestNode.Client(node);
            (_, JsonElement added) = await AddJsonAsync(client, new { share = file });
            id = added.GetProperty("id").GetString()!;

            (HttpStatusCode status, JsonElement patched) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}", JsonContent.Create(new { uploadLimit = 64_000 }));
            (HttpStatusCode negative, _) = await SendAsync(client, HttpMethod.Patch, $"api/v1/torrents/{id}", JsonContent.Create(new { downloadLimit = -5 }));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(64_000, patched.GetProperty("uploadLimit").GetInt64());
            Assert.Equal(0, patched.GetProperty("downloadLimit").GetInt64());
            Assert.Equal(HttpStatusCode.BadRequest, negative);
        }

        await using NodeHost restarted = await TestNode.StartAsync(_folder.Path);
        using HttpClient again = TestNode.Client(restarted);
        (_, JsonElement kept) = await SendAsync(again, HttpMethod.Get, $"api/v1/torrents/{id}");
        Assert.Equal(64_000, kept.GetProperty("uploadLimit").GetInt64());
    }

    [Fact]
    public async Task A_magnet_without_metadata_cannot_be_rechecked()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        (_, JsonElement added) = await AddJsonAsync(client, new { infoHash = "2db0973f709d9f0f5f0aaf61f4061d2570e776f8", paused = true });

        (HttpStatusCode status, JsonElement error) = await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{added.GetProperty("id").GetString()}/recheck");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("no metadata", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_change_the_running_session_and_come_back_after_a_restart()
    {
        string downloads = Path.Combine(_folder.Path, "elsewhere");
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            using HttpClient client = TestNode.Client(node);
            (HttpStatusCode before, JsonElement initial) = await SendAsync(client, HttpMethod.Get, "api/v1/settings");
            Assert.Equal(HttpStatusCode.OK, before);
            Assert.Equal(0, initial.GetProperty("downloadLimit").GetInt64());
            Assert.False(initial.GetProperty("dht").GetBoolean());

            (HttpStatusCode patched, JsonElement changed) = await SendAsync(client, HttpMethod.Patch, "api/v1/settings", JsonContent.Create(new { downloadLimit = 500_000, uploadLimit = 250_000, maxConnectionsPerTorrent = 7, downloadDir = downloads, dht = true }));

            Assert.Equal(HttpStatusCode.OK, patched);
            Assert.Equal(500_000, changed.GetProperty("downloadLimit").GetInt64());
            Assert.Equal(["dht"], changed.GetProperty("restartRequired").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal((250_000L, 500_000L), node.Session.RateLimits);
            Assert.Equal(7, node.Session.ConnectionLimits.PerTorrent);
            (_, JsonElement magnet) = await AddJsonAsync(client, new { infoHash = "2db0973f709d9f0f5f0aaf61f4061d2570e776f8", paused = true });
            Assert.Equal(downloads, magnet.GetProperty("savePath").GetString());
        }

        // Turned on by the setting, the DHT joins through the nodes `shoal node` would have used (here one on loopback).
        var bootstrap = new IPEndPoint(IPAddress.Loopback, 9);
        NodeOptions options = TestNode.Options(_folder.Path) with { DhtWhenTurnedOn = new SessionDhtOptions { Bootstrap = [bootstrap] } };
        await using NodeHost restarted = await NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using HttpClient again = TestNode.Client(restarted);
        (_, JsonElement kept) = await SendAsync(again, HttpMethod.Get, "api/v1/settings");
        Assert.Equal(500_000, kept.GetProperty("downloadLimit").GetInt64());
        Assert.True(kept.GetProperty("dht").GetBoolean());
        Assert.Empty(kept.GetProperty("restartRequired").EnumerateArray());
        Assert.Equal(["127.0.0.1:9"], restarted.Session.DhtState!.BootstrapHosts.Select(h => h.Name));
        Assert.Equal((250_000L, 500_000L), restarted.Session.RateLimits);
    }

    [Theory]
    [InlineData("{\"downloadLimit\": -1}", "not negative")]
    [InlineData("{\"maxConnections\": 0}", "connection limits")]
    [InlineData("{\"downloadDir\": \"relative/dir\"}", "not an absolute path")]
    [InlineData("[1, 2]", "JSON object")]
    public async Task A_bad_setting_is_refused_with_the_reason_and_changes_nothing(string body, string reason)
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode status, JsonElement error) = await SendAsync(client, HttpMethod.Patch, "api/v1/settings", new StringContent("{\"uploadLimit\": 5, " + body.TrimStart('{'), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), node.Session.RateLimits);
    }

    public void Dispose() => _folder.Dispose();
}
