using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Configuration;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Tests.Http;

public sealed class FileIndexTests
{
    private static readonly Func<TrackerOptions, TrackerOptions> Open = o => o with { OpenRegistration = true };

    private static async Task<HttpResponseMessage> RegisterAsync(RunningTracker tracker, byte[] torrent)
    {
        using var body = new ByteArrayContent(torrent);
        body.Headers.ContentType = new("application/x-bittorrent");
        return await tracker.Http.PostAsync(new Uri("api/torrents", UriKind.Relative), body);
    }

    private static async Task<FilePage> FilesAsync(RunningTracker tracker, string query = "") =>
        (await tracker.Http.GetFromJsonAsync<FilePage>(new Uri("api/files" + query, UriKind.Relative), JsonSerializerOptions.Web))!;

    [Fact]
    public async Task A_registered_torrent_is_listed_with_its_swarm_and_a_magnet()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: Open);
        CreatedTorrent created = await RunningTracker.TorrentAsync(folder, "Lecture Notes.pdf");

        using HttpResponseMessage first = await RegisterAsync(tracker, created.FileBytes);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        IndexedFile registered = (await first.Content.ReadFromJsonAsync<IndexedFile>(JsonSerializerOptions.Web))!;
        Assert.Equal("Lecture Notes.pdf", registered.Name);
        Assert.Equal(40_000, registered.Size);
        Assert.Equal(created.Torrent.InfoHashes.V1!.ToHex(), registered.InfoHashV1);
        Assert.Equal(created.Torrent.InfoHashes.V2!.ToHex(), registered.InfoHashV2);
        MagnetLink magnet = MagnetLink.Parse(registered.Magnet);
        Assert.Equal(created.Torrent.InfoHashes, magnet.InfoHashes);
        Assert.Equal(tracker.HttpAnnounce.AbsoluteUri, Assert.Single(magnet.Trackers));

        using HttpResponseMessage again = await RegisterAsync(tracker, created.FileBytes);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(created.Torrent.InfoHashes.V1!, 7001, left: 0), CancellationToken.None);
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(created.Torrent.InfoHashes.V2!.Truncated, 7002), CancellationToken.None);
        IndexedFile listed = Assert.Single((await FilesAsync(tracker)).Files);
        Assert.Equal((1, 1), (listed.Seeders, listed.Leechers));

        byte[] download = await tracker.Http.GetByteArrayAsync(new Uri($"api/torrents/{registered.InfoHashV2}.torrent", UriKind.Relative));
        Assert.Equal(created.FileBytes, download);
    }

    [Fact]
    public async Task Search_ignores_case_in_any_script_and_pages_newest_first()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: Open);
        string[] names = ["Physics-Lab-1.csv", "physics lab 2.csv", "Chemistry.txt", "ΦΥΣΙΚΗ σημειώσεις.txt", "%_wild'; DROP TABLE torrents;--.txt"];
        foreach (string name in names)
        {
            (await RegisterAsync(tracker, (await RunningTracker.TorrentAsync(folder, name, TorrentVersion.V1)).FileBytes)).EnsureSuccessStatusCode();
        }

        Assert.Equal(["physics lab 2.csv", "Physics-Lab-1.csv"], (await FilesAsync(tracker, "?q=PHYSICS")).Files.Select(f => f.Name));
        Assert.Equal("ΦΥΣΙΚΗ σημειώσεις.txt", Assert.Single((await FilesAsync(tracker, "?q=" + Uri.EscapeDataString("φυσική"[..5]))).Files).Name);
        Assert.Equal(names[4], Assert.Single((await FilesAsync(tracker, "?q=" + Uri.EscapeDataString("%_"))).Files).Name);
        Assert.Equal(names[4], Assert.Single((await FilesAsync(tracker, "?q=" + Uri.EscapeDataString("drop table"))).Files).Name);

        FilePage page2 = await FilesAsync(tracker, "?page=2&perPage=2");
        Assert.Equal(5, page2.Total);
        Assert.Equal([names[2], names[1]], page2.Files.Select(f => f.Name));
        Assert.Equal(names[0], Assert.Single((await FilesAsync(tracker, "?page=3&perPage=2")).Files).Name);
        Assert.Equal(HttpStatusCode.BadRequest, (await tracker.Http.GetAsync(new Uri("api/files?perPage=501", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tracker.Http.GetAsync(new Uri("api/files?page=-1", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Bad_registrations_get_a_json_error()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { MaxTorrentBytes = 64 * 1024, OpenRegistration = true });
        using HttpResponseMessage garbage = await RegisterAsync(tracker, "d4:infod4:name3:abcee"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.StartsWith("not a valid .torrent file", (await garbage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

        using HttpResponseMessage empty = await RegisterAsync(tracker, []);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using HttpResponseMessage huge = await RegisterAsync(tracker, new byte[100_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tracker.Http.GetAsync(new Uri($"api/torrents/{new string('a', 40)}.torrent", UriKind.Relative))).StatusCode);
        Assert.Equal(0, (await FilesAsync(tracker)).Total);
    }

    [Fact]
    public async Task The_html_page_lists_files_with_magnets_and_escapes_names()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: Open);
        CreatedTorrent created = await RunningTracker.TorrentAsync(folder, "<img src=x onerror=alert(1)>.txt");
        (await RegisterAsync(tracker, created.FileBytes)).EnsureSuccessStatusCode();

        string html = await tracker.Http.GetStringAsync(new Uri("/?q=onerror", UriKind.Relative));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.txt", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("href=\"magnet:?xt=urn:btih:" + created.Torrent.InfoHashes.V1!.ToHex(), html, StringComparison.Ordinal);
        Assert.Contains("1 file", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_keeps_registered_files_and_completed_counts()
    {
        using var folder = new TempFolder();
        using var data = new TempFolder();
        CreatedTorrent created = await RunningTracker.TorrentAsync(folder, "kept.iso");
        InfoHash v1 = created.Torrent.InfoHashes.V1!;
        await using (RunningTracker tracker = await RunningTracker.StartAsync(data, Open))
        {
            (await RegisterAsync(tracker, created.FileBytes)).EnsureSuccessStatusCode();
            await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(v1, 7001, left: 0, AnnounceEvent.Completed), CancellationToken.None);
            await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(v1, 7002, left: 0, AnnounceEvent.Completed), CancellationToken.None);
        }

        await using (RunningTracker restarted = await RunningTracker.StartAsync(data, o => o with { Closed = true }))
        {
            IndexedFile file = Assert.Single((await FilesAsync(restarted)).Files);
            Assert.Equal(("kept.iso", 2L), (file.Name, file.Completed));
            ScrapeResponse scrape = await restarted.HttpClient().ScrapeAsync([v1], CancellationToken.None);
            Assert.Equal(2, scrape.Files[v1].Downloaded);
            Assert.Null((await restarted.HttpClient().AnnounceAsync(RunningTracker.Request(v1, 7003), CancellationToken.None)).FailureReason);
        }
    }
}
