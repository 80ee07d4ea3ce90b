using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage;
using Shoal.Tracker.Storage.Sqlite;
using Shoal.Tracker.Tests.Accounts;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Http;

/// <summary>Filling the file index: registrations need a login and are rate-limited and capped; listings never read stored .torrents.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class FileIndexAbuseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Registration_without_a_login_is_refused_unless_registration_is_open()
    {
        using var folder = new TempFolder();
        CreatedTorrent created = await RunningTracker.TorrentAsync(folder, "notes.txt");
        await using (RunningTracker tracker = await RunningTracker.StartAsync())
        {
            var api = AccountApi.Of(tracker);
            using HttpResponseMessage anonymous = await api.SendAsync(HttpMethod.Post, "api/torrents", null, new ByteArrayContent(created.FileBytes));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("log in", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

            LoginResult alice = await api.SignUpAsync("alice");
            Assert.Equal(HttpStatusCode.Created, await api.StatusAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(created.FileBytes)));
        }

        await using RunningTracker open = await RunningTracker.StartAsync(configure: o => o with { OpenRegistration = true });
        Assert.Equal(HttpStatusCode.Created, await AccountApi.Of(open).StatusAsync(HttpMethod.Post, "api/torrents", null, new ByteArrayContent(created.FileBytes)));
    }

    [Fact]
    public async Task A_burst_of_registrations_is_rate_limited_per_user_and_per_address()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { RegistrationsPerHourPerUser = 3, RegistrationsPerHourPerAddress = 5 });
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        var statuses = new List<HttpStatusCode>();
        foreach (LoginResult user in new[] { alice, alice, alice, alice, bob, bob, bob })
        {
            byte[] torrent = (await RunningTracker.TorrentAsync(folder, $"burst-{statuses.Count}.bin", TorrentVersion.V1, size: 1000)).FileBytes;
            statuses.Add(await api.StatusAsync(HttpMethod.Post, "api/torrents", user, new ByteArrayContent(torrent)));
        }

        output.WriteLine(string.Join(", ", statuses.Select(s => (int)s)));
        // alice: 3 then refused; bob: the address's 5th, then the address is spent.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_user_registers_at_most_the_cap()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { MaxTorrentsPerUser = 2 });
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        for (int i = 0; i < 2; i++)
        {
            byte[] torrent = (await RunningTracker.TorrentAsync(folder, $"mine-{i}.bin", TorrentVersion.V1, size: 1000)).FileBytes;
            Assert.Equal(HttpStatusCode.Created, await api.StatusAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(torrent)));
        }

        byte[] third = (await RunningTracker.TorrentAsync(folder, "mine-3.bin", TorrentVersion.V1, size: 1000)).FileBytes;
        using HttpResponseMessage refused = await api.SendAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(third));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("at most 2", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_500_files_never_reads_their_stored_torrents()
    {
        const int Files = 500;
        const int TorrentBytes = 256 * 1024;
        using var data = new TempFolder();
        SqliteTrackerStore store = await SqliteTrackerStore.OpenAsync(Path.Combine(data.Path, TrackerStores.DefaultFileName), default);
        byte[] bulk = new byte[TorrentBytes];
        for (int i = 0; i < Files; i++)
        {
            byte[] v1 = new byte[20];
            BitConverter.TryWriteBytes(v1, i);
            await store.RegisterAsync(new StoredTorrent($"file {i}", 1L << 30, v1, null, bulk, DateTimeOffset.UnixEpoch.AddSeconds(i)), null, default);
        }

        await using RunningTracker tracker = await RunningTracker.StartAsync(data);
        await tracker.Http.GetStringAsync(new Uri("api/files?perPage=1", UriKind.Relative));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string json = await tracker.Http.GetStringAsync(new Uri($"api/files?perPage={Files}", UriKind.Relative));
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        output.WriteLine($"{Files} files of {TorrentBytes / 1024} KiB stored: listed in {clock.ElapsedMilliseconds} ms, {allocated / 1024 / 1024.0:F1} MiB allocated, {json.Length / 1024} KiB answer");
        Assert.Equal(Files, JsonSerializer.Deserialize<FilePage>(json, JsonSerializerOptions.Web)!.Files.Count);
        // Reading the stored .torrents would allocate their 125 MiB at least.
        Assert.True(allocated < 32L << 20, $"listing allocated {allocated} bytes");
    }
}
