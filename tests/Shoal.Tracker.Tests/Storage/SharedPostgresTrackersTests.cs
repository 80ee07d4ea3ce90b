using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Tests.Accounts;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Tests.Storage;

/// <summary>Two `shoal tracker` instances on one PostgreSQL database serve the same swarms and index.</summary>
public sealed class SharedPostgresTrackersTests
{
    [Fact]
    public async Task A_peer_announced_to_one_instance_is_returned_by_the_other_and_a_restart_loses_nothing()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        CreatedTorrent created = await RunningTracker.TorrentAsync(folder, "shared.bin");
        InfoHash v1 = created.Torrent.InfoHashes.V1!;
        Func<TrackerOptions, TrackerOptions> onPostgres = o => o with { Store = "postgres:" + database.ConnectionString, Closed = true, OpenRegistration = true };

        await using (RunningTracker first = await RunningTracker.StartAsync(configure: onPostgres))
        await using (RunningTracker second = await RunningTracker.StartAsync(configure: onPostgres))
        {
            using var body = new ByteArrayContent(created.FileBytes);
            Assert.Equal(HttpStatusCode.Created, (await first.Http.PostAsync(new Uri("api/torrents", UriKind.Relative), body)).StatusCode);

            // Closed mode on the second instance learns of the registration through the database.
            AnnounceResponse seeded = await first.HttpClient().AnnounceAsync(RunningTracker.Request(v1, 7001, left: 0), CancellationToken.None);
            Assert.Null(seeded.FailureReason);
            AnnounceResponse found = await second.UdpClient().AnnounceAsync(RunningTracker.Request(v1, 7002), CancellationToken.None);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(found.Peers));

            await second.HttpClient().AnnounceAsync(RunningTracker.Request(v1, 7002, left: 0, AnnounceEvent.Completed), CancellationToken.None);
            IndexedFile listed = Assert.Single((await FilesAsync(first)).Files);
            Assert.Equal((2, 0, 1L), (listed.Seeders, listed.Leechers, listed.Completed));
        }

        await using (RunningTracker restarted = await RunningTracker.StartAsync(configure: onPostgres))
        {
            IndexedFile kept = Assert.Single((await FilesAsync(restarted)).Files);
            Assert.Equal(("shared.bin", 1L), (kept.Name, kept.Completed));
            Assert.Equal(1, (await restarted.HttpClient().ScrapeAsync([v1], CancellationToken.None)).Files[v1].Downloaded);
        }
    }

    [Fact]
    public async Task A_file_shared_on_one_instance_is_refused_to_non_members_on_the_other_at_once()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        Func<TrackerOptions, TrackerOptions> onPostgres = o => o with { Store = "postgres:" + database.ConnectionString };
        await using RunningTracker first = await RunningTracker.StartAsync(configure: onPostgres);
        await using RunningTracker second = await RunningTracker.StartAsync(configure: onPostgres);
        var api = AccountApi.Of(first);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        await api.CreateGroupAsync(alice, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        InfoHash v1 = notes.Torrent.InfoHashes.V1!;

        // Public until shared: the second instance has seen it so, and holds no claim for it.
        Assert.Null((await second.UdpClient().AnnounceAsync(RunningTracker.Request(v1, 7001), CancellationToken.None)).FailureReason);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);

        // The very next announces to the second instance: refused over UDP and without a member's passkey, answered with one.
        Assert.Contains("private group", (await second.UdpClient().AnnounceAsync(RunningTracker.Request(v1, 7002), CancellationToken.None)).FailureReason, StringComparison.Ordinal);
        Assert.Contains("private group", (await AccountApi.AnnounceAsync(second, bob.Passkey, v1, 7003)).FailureReason, StringComparison.Ordinal);
        Assert.Null((await AccountApi.AnnounceAsync(second, alice.Passkey, v1, 7004)).FailureReason);
        Assert.Equal(new ScrapeStats(0, 0, 0), await AccountApi.ScrapeAsync(second, null, v1));
    }

    private static async Task<FilePage> FilesAsync(RunningTracker tracker) =>
        (await tracker.Http.GetFromJsonAsync<FilePage>(new Uri("api/files", UriKind.Relative), JsonSerializerOptions.Web))!;
}
