using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Metainfo.Creation;
using Shoal.Session;
using Shoal.Tests;
using Shoal.Tracker;
using Shoal.Tracker.Configuration;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Cli;

/// <summary>A real <c>shoal node</c> killed with SIGKILL brings every torrent back in its state when restarted on the same data.</summary>
public sealed class NodeCrashTests : IDisposable
{
    private const int Size = 6 << 20;

    // Slow enough that the node is killed mid-download, fast enough that the test takes seconds.
    private const long SeederUploadLimit = 1 << 20;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task After_sigkill_a_download_resumes_and_completes_a_seeding_torrent_seeds_and_a_paused_one_stays_paused()
    {
        byte[] content = TempFolder.RandomBytes(Size, 12);
        string seeded = _folder.File("seeder/film.bin", content);
        string data = Path.Combine(_folder.Path, "node");
        string downloads = Path.Combine(_folder.Path, "downloads");
        await using TrackerHost tracker = await TrackerHost.StartAsync(
            new TrackerOptions { Port = 0, ListenAddress = IPAddress.Loopback, DataDirectory = Directory.CreateDirectory(Path.Combine(_folder.Path, "tracker")).FullName }, NullLoggerFactory.Instance);
        CreatedTorrent created = await TorrentCreator.CreateAsync(seeded, new TorrentCreationOptions { Trackers = [tracker.HttpAnnounceUrl().AbsoluteUri] });
        await using ShoalSession seeder = ShoalSession.Start(new SessionOptions { ListenAddress = IPAddress.Loopback });
        seeder.Add(created.Torrent, new AddTorrentOptions { ContentPath = seeded, ContentIsVerified = true, UploadLimit = SeederUploadLimit });

        string id, seedingId, pausedId;
        double progressAtKill;
        await using (NodeProcess node = await NodeProcess.StartAsync(data, downloads, _folder.Path))
        {
            seedingId = await AddShareAsync(node.Client, _folder.File("shared/seeding.bin", TempFolder.RandomBytes(50_000, 13)), paused: false);
            pausedId = await AddShareAsync(node.Client, _folder.File("shared/paused.bin", TempFolder.RandomBytes(50_000, 14)), paused: true);
            (HttpStatusCode status, JsonElement added) = await AddTorrentFileAsync(node.Client, created.FileBytes);
            Assert.Equal(HttpStatusCode.Created, status);
            id = added.GetProperty("id").GetString()!;
            await WaitForStateAsync(node.Client, seedingId, "seeding");

            progressAtKill = (await PollAsync(node.Client, id, t => t.GetProperty("progress").GetDouble() is > 0.1 and < 0.7)).GetProperty("progress").GetDouble();
            await node.Process.KillAsync();
        }

        await using NodeProcess restarted = await NodeProcess.StartAsync(data, downloads, _folder.Path);
        JsonElement back = await PollAsync(restarted.Client, id, t => t.GetProperty("state").GetString() != "checking");
        Assert.True(back.GetProperty("progress").GetDouble() > 0, $"the download started again from zero (it was at {progressAtKill:P0} when killed)");
        Assert.Equal("seeding", (await WaitForStateAsync(restarted.Client, seedingId, "seeding")).GetProperty("state").GetString());
        Assert.Equal("paused", (await WaitForStateAsync(restarted.Client, pausedId, "paused")).GetProperty("state").GetString());

        JsonElement done = await PollAsync(restarted.Client, id, t => t.GetProperty("state").GetString() == "seeding");
        Assert.True(done.GetProperty("downloaded").GetInt64() < Size, $"the second run downloaded {done.GetProperty("downloaded").GetInt64()} of {Size} bytes");
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(Path.Combine(downloads, "film.bin"))));
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<string> AddShareAsync(HttpClient client, string path, bool paused)
    {
        (HttpStatusCode status, JsonElement added) = await AddJsonAsync(client, new { share = path, paused });
        Assert.Equal(HttpStatusCode.Created, status);
        return added.GetProperty("id").GetString()!;
    }

    /// <summary>Asks for the torrent every 100 ms until <paramref name="done"/> holds, for up to 60 s.</summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            (HttpStatusCode status, JsonElement torrent) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            if (done(torrent))
            {
                return torrent;
            }

            Assert.True(DateTime.UtcNow < deadline, $"torrent {id} did not get there within 60 s: {torrent}");
            await Task.Delay(100);
        }
    }
}
