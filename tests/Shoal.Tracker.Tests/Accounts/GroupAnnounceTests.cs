using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tests.Net;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>A group file's swarm answers only its current members' passkeys (BEP 27 private torrents).</summary>
public sealed class GroupAnnounceTests
{
    private const string PrivateGroup = "private group";

    [Fact]
    public async Task Only_current_members_passkeys_get_peers_and_a_removed_member_is_refused_at_once()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        LoginResult carol = await api.SignUpAsync("carol");
        await api.CreateGroupAsync(alice, "physics");
        await api.JoinAsync(alice, bob, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);
        InfoHash v1 = notes.Torrent.InfoHashes.V1!;
        InfoHash v2 = notes.Torrent.InfoHashes.V2!.Truncated;

        Assert.Null((await AccountApi.AnnounceAsync(tracker, alice.Passkey, v1, 7001, left: 0)).FailureReason);
        AnnounceResponse member = await AccountApi.AnnounceAsync(tracker, bob.Passkey, v1, 7002);
        Assert.Null(member.FailureReason);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(member.Peers));
        Assert.Equal(1, (await AccountApi.ScrapeAsync(tracker, bob.Passkey, v1)).Complete);

        foreach (string? passkey in new[] { carol.Passkey, null, "0123456789abcdef0123456789abcdef01234567", carol.Token, "' OR 1=1 --" })
        {
            foreach (InfoHash swarm in new[] { v1, v2 })
            {
                AnnounceResponse refused = await AccountApi.AnnounceAsync(tracker, passkey, swarm, 7003);
                Assert.Contains(PrivateGroup, refused.FailureReason, StringComparison.Ordinal);
                Assert.Empty(refused.Peers);
                Assert.Equal(new ScrapeStats(0, 0, 0), await AccountApi.ScrapeAsync(tracker, passkey, swarm));
            }
        }

        // UDP (BEP 15) cannot carry a passkey.
        AnnounceResponse udp = await tracker.UdpClient().AnnounceAsync(RunningTracker.Request(v1, 7004), CancellationToken.None);
        Assert.Contains(PrivateGroup, udp.FailureReason, StringComparison.Ordinal);
        Assert.Empty(udp.Peers);

        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", alice));
        Assert.Contains(PrivateGroup, (await AccountApi.AnnounceAsync(tracker, bob.Passkey, v1, 7002)).FailureReason, StringComparison.Ordinal);
        await api.JoinAsync(alice, bob, "physics");
        Assert.Null((await AccountApi.AnnounceAsync(tracker, bob.Passkey, v1, 7002)).FailureReason);

        // Leaving and logging out end the passkey as well.
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", bob));
        Assert.Contains(PrivateGroup, (await AccountApi.AnnounceAsync(tracker, bob.Passkey, v1, 7002)).FailureReason, StringComparison.Ordinal);
        Assert.Null((await AccountApi.AnnounceAsync(tracker, alice.Passkey, v2, 7001, left: 0)).FailureReason);
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/sessions/current", alice));
        Assert.Contains(PrivateGroup, (await AccountApi.AnnounceAsync(tracker, alice.Passkey, v1, 7001)).FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_no_longer_shared_is_refused_to_everyone_and_stays_out_of_the_public_swarms()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        await api.CreateGroupAsync(alice, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);
        InfoHash v1 = notes.Torrent.InfoHashes.V1!;
        Assert.Null((await AccountApi.AnnounceAsync(tracker, alice.Passkey, v1, 7001)).FailureReason);

        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, $"api/groups/physics/files/{v1.ToHex()}", alice));
        foreach (string? passkey in new[] { alice.Passkey, null })
        {
            AnnounceResponse refused = await AccountApi.AnnounceAsync(tracker, passkey, v1, 7001);
            Assert.Contains("no longer shared", refused.FailureReason, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Conflict, await api.StatusAsync(HttpMethod.Post, "api/torrents", alice, new ByteArrayContent(notes.FileBytes)));

        // Deleting a group stops its files too.
        CreatedTorrent lab = await RunningTracker.TorrentAsync(folder, "lab.csv", isPrivate: true);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(alice, "physics", lab.FileBytes)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics", alice));
        Assert.Contains("no longer shared", (await AccountApi.AnnounceAsync(tracker, alice.Passkey, lab.Torrent.InfoHashes.V2!.Truncated, 7001)).FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_torrents_are_served_as_before_with_or_without_a_passkey()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        LoginResult alice = await AccountApi.Of(tracker).SignUpAsync("alice");
        InfoHash open = RunningTracker.RandomHash();

        Assert.Null((await AccountApi.AnnounceAsync(tracker, null, open, 7001, left: 0)).FailureReason);
        Assert.Single((await AccountApi.AnnounceAsync(tracker, alice.Passkey, open, 7002)).Peers);
        Assert.Equal(2, (await AccountApi.AnnounceAsync(tracker, "any-passkey-at-all", open, 7003)).Peers.Count);
        Assert.Equal(new ScrapeStats(1, 0, 2), await AccountApi.ScrapeAsync(tracker, alice.Passkey, open));
        Assert.Single((await tracker.UdpClient().AnnounceAsync(RunningTracker.Request(open, 7004, left: 0), CancellationToken.None)).Peers, p => p.Port == 7002);
    }

    [Fact]
    public async Task An_expired_login_passkey_is_refused()
    {
        using var folder = new TempFolder();
        var time = new ManualTimeProvider();
        await using RunningTracker tracker = await RunningTracker.StartAsync(time: time);
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        await api.CreateGroupAsync(alice, "physics");
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(alice, "physics", notes.FileBytes)).StatusCode);
        InfoHash v1 = notes.Torrent.InfoHashes.V1!;
        Assert.Null((await AccountApi.AnnounceAsync(tracker, alice.Passkey, v1, 7001)).FailureReason);

        time.Advance(TimeSpan.FromDays(30));
        Assert.Contains(PrivateGroup, (await AccountApi.AnnounceAsync(tracker, alice.Passkey, v1, 7001)).FailureReason, StringComparison.Ordinal);
    }
}
