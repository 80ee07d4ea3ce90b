using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Tests.Accounts;

public sealed class GroupTests
{
    [Fact]
    public async Task Members_join_by_request_the_owner_decides_and_only_the_owner_deletes()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        LoginResult carol = await api.SignUpAsync("carol");

        using HttpResponseMessage created = await api.SendJsonAsync(HttpMethod.Post, "api/groups", alice, new NewGroup("physics"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(new GroupSummary("physics", "alice", 1), await created.Content.ReadFromJsonAsync<GroupSummary>(JsonSerializerOptions.Web));
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendJsonAsync(HttpMethod.Post, "api/groups", bob, new NewGroup("physics"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/groups", null));

        Assert.Equal(HttpStatusCode.Accepted, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests", bob));
        Assert.Equal(HttpStatusCode.Conflict, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests", bob));
        Assert.Equal(HttpStatusCode.Conflict, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests", alice));
        Assert.Equal(HttpStatusCode.Accepted, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests", carol));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Post, "api/groups/chemistry/requests", carol));

        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Get, "api/groups/physics/requests", bob));
        Assert.Equal(["bob", "carol"], (await api.GetAsync<JoinRequest[]>("api/groups/physics/requests", alice)).Select(r => r.User));

        // Another user's token cannot act as the owner.
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests/bob/accept", carol));
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests/bob/accept", bob));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests/bob/accept", alice));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests/carol/reject", alice));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests/carol/accept", alice));
        Assert.Empty(await api.GetAsync<JoinRequest[]>("api/groups/physics/requests", alice));
        Assert.Equal(new GroupSummary("physics", "alice", 2), Assert.Single(await api.GetAsync<GroupSummary[]>("api/groups", carol)));
        Assert.Equal(["physics"], (await api.GetAsync<AccountInfo>("api/me", bob)).Groups);

        Assert.Equal(HttpStatusCode.Conflict, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/alice", alice));
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/alice", bob));
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", carol));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", bob));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", alice));
        await api.JoinAsync(alice, bob, "physics");
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", alice));
        Assert.Empty((await api.GetAsync<AccountInfo>("api/me", bob)).Groups);

        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics", bob));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics", alice));
        Assert.Empty(await api.GetAsync<GroupSummary[]>("api/groups", alice));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics", alice));
    }

    [Fact]
    public async Task Members_share_private_torrents_and_only_the_sharer_or_the_owner_stops_sharing()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        LoginResult carol = await api.SignUpAsync("carol");
        LoginResult dave = await api.SignUpAsync("dave");
        await api.CreateGroupAsync(alice, "physics");
        await api.JoinAsync(alice, bob, "physics");
        await api.JoinAsync(alice, dave, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        CreatedTorrent lab = await RunningTracker.TorrentAsync(folder, "lab.csv", TorrentVersion.V1, isPrivate: true);
        CreatedTorrent open = await RunningTracker.TorrentAsync(folder, "open.txt");

        Assert.Equal(HttpStatusCode.BadRequest, (await api.ShareAsync(bob, "physics", open.FileBytes)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.ShareAsync(bob, "physics", [1, 2, 3])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ShareAsync(carol, "physics", notes.FileBytes)).StatusCode);
        using HttpResponseMessage shared = await api.ShareAsync(bob, "physics", notes.FileBytes);
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        GroupFile file = (await shared.Content.ReadFromJsonAsync<GroupFile>(JsonSerializerOptions.Web))!;
        Assert.Equal(("notes.pdf", 40_000L, "bob"), (file.Name, file.Size, file.Owner));
        Assert.Equal(notes.Torrent.InfoHashes.V1!.ToHex(), file.InfoHashV1);
        Assert.Equal(notes.Torrent.InfoHashes.V2!.ToHex(), file.InfoHashV2);
        Assert.Equal(HttpStatusCode.Conflict, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(bob, "physics", lab.FileBytes)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Get, "api/groups/physics/files", carol));
        GroupFile[] listed = await api.GetAsync<GroupFile[]>("api/groups/physics/files", alice);
        Assert.Equal(["lab.csv", "notes.pdf"], listed.Select(f => f.Name));
        Assert.All(listed, f => Assert.Equal("bob", f.Owner));

        string torrentPath = $"api/groups/physics/files/{file.InfoHashV2}.torrent";
        using HttpResponseMessage download = await api.SendAsync(HttpMethod.Get, torrentPath, dave);
        Assert.Equal(notes.FileBytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Get, torrentPath, carol));

        // The public index neither lists nor serves nor accepts a group's file.
        Assert.Equal(0, (await tracker.Http.GetFromJsonAsync<FilePage>(new Uri("api/files", UriKind.Relative), JsonSerializerOptions.Web))!.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await tracker.Http.GetAsync(new Uri($"api/torrents/{file.InfoHashV1}.torrent", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, await api.StatusAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(notes.FileBytes)));
        Assert.DoesNotContain("notes.pdf", await tracker.Http.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);

        string notesPath = $"api/groups/physics/files/{file.InfoHashV1}";
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Delete, notesPath, carol));
        Assert.Equal(HttpStatusCode.Forbidden, await api.StatusAsync(HttpMethod.Delete, notesPath, dave));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, notesPath, alice));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusAsync(HttpMethod.Delete, notesPath, alice));
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, $"api/groups/physics/files/{lab.Torrent.InfoHashes.V1!.ToHex()}", bob));
        Assert.Empty(await api.GetAsync<GroupFile[]>("api/groups/physics/files", bob));
    }

    [Fact]
    public async Task A_publicly_registered_torrent_cannot_become_a_groups()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        await api.CreateGroupAsync(alice, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        Assert.Equal(HttpStatusCode.Created, await api.StatusAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(notes.FileBytes)));
        Assert.Equal(HttpStatusCode.Conflict, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);
    }
}
