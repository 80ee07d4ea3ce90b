using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Tests.Storage;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>
/// One torrent registered publicly and shared into a group at the same moment ends as one or the other,
/// never both: the public index, the group's files and the announce's answer agree, on either store.
/// </summary>
public sealed class PublicOrGroupRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 40;

    [Fact]
    public Task On_sqlite_a_torrent_registered_and_shared_at_once_is_public_or_a_groups_never_both() => RaceAsync(null);

    [Fact]
    public async Task On_postgres_a_torrent_registered_and_shared_at_once_is_public_or_a_groups_never_both()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        await RaceAsync("postgres:" + database.ConnectionString);
    }

    private async Task RaceAsync(string? store)
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with
        {
            Store = store ?? o.Store,
            RegistrationsPerHourPerUser = 10_000,
            RegistrationsPerHourPerAddress = 10_000,
        });
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        await api.CreateGroupAsync(bob, "physics");
        int publicWins = 0, groupWins = 0;
        var wrong = new List<string>();
        for (int round = 0; round < Rounds; round++)
        {
            CreatedTorrent torrent = await RunningTracker.TorrentAsync(folder, $"race-{round}.bin", TorrentVersion.Hybrid, size: 1000, isPrivate: true);
            // Sent in turns one first, then the other, so each has its chance to come first.
            Func<Task<HttpResponseMessage>> register = () => api.SendAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(torrent.FileBytes));
            Func<Task<HttpResponseMessage>> share = () => api.ShareAsync(bob, "physics", torrent.FileBytes);
            Task<HttpResponseMessage> registering, sharing;
            if (round % 2 == 0)
            {
                registering = register();
                sharing = share();
            }
            else
            {
                sharing = share();
                registering = register();
            }
            using HttpResponseMessage registered = await registering;
            using HttpResponseMessage shared = await sharing;

            string v1 = torrent.Torrent.InfoHashes.V1!.ToHex();
            FilePage listed = (await tracker.Http.GetFromJsonAsync<FilePage>(new Uri($"api/files?q=race-{round}.bin", UriKind.Relative), JsonSerializerOptions.Web))!;
            bool isPublic = listed.Files.Any(file => file.InfoHashV1 == v1);
            bool isGroups = (await api.GetAsync<GroupFile[]>("api/groups/physics/files", bob)).Any(file => file.InfoHashV1 == v1);
            string? refusal = (await AccountApi.AnnounceAsync(tracker, null, torrent.Torrent.InfoHashes.V1!, 7001)).FailureReason;
            var outcome = (registered.StatusCode, shared.StatusCode, isPublic, isGroups, Served: refusal is null);
            if (outcome == (HttpStatusCode.Created, HttpStatusCode.Conflict, true, false, true))
            {
                publicWins++;
            }
            else if (outcome == (HttpStatusCode.Conflict, HttpStatusCode.Created, false, true, false))
            {
                groupWins++;
            }
            else
            {
                wrong.Add($"round {round}: {outcome}");
            }
        }

        output.WriteLine($"{Rounds} rounds: public {publicWins}, group {groupWins}, inconsistent {wrong.Count}");
        Assert.Empty(wrong);
    }
}
