using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Cli.Accounts;
using Shoal.Metainfo.Creation;
using Shoal.Session;
using Shoal.Tests;
using Shoal.Tracker;
using Shoal.Tracker.Configuration;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Groups;

/// <summary>
/// The Groups view's API on a real tracker in this process: alice shares a file into her group and seeds it,
/// bob (a member) has logged in with <c>shoal login</c> on his node's machine, and his node lists the group and gets it.
/// </summary>
public sealed class GroupApiTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_member_sees_the_group_file_and_gets_it_through_the_private_swarm()
    {
        await using TrackerHost tracker = await TrackerHost.StartAsync(
            new TrackerOptions { Port = 0, ListenAddress = IPAddress.Loopback, DataDirectory = Directory.CreateDirectory(Path.Combine(_folder.Path, "tracker")).FullName }, NullLoggerFactory.Instance);
        Uri api = TrackerIndexAddress.FromAnnounceUrl(tracker.HttpAnnounceUrl());
        using var http = new HttpClient();
        LoginState alice = await SignUpAsync(api, http, "alice");
        LoginState bob = await SignUpAsync(api, http, "bob");
        var aliceClient = new TrackerAccountClient(api, http, alice.Token);
        await aliceClient.CreateGroupAsync("physics", CancellationToken.None);
        await aliceClient.CreateGroupAsync("alice-only", CancellationToken.None);
        await new TrackerAccountClient(api, http, bob.Token).RequestToJoinAsync("physics", CancellationToken.None);
        await aliceClient.AcceptAsync("physics", "bob", CancellationToken.None);
        byte[] content = TempFolder.RandomBytes(400_000, 5);
        string file = _folder.File("alice/lecture.bin", content);
        CreatedTorrent created = await TorrentCreator.CreateAsync(file, new TorrentCreationOptions { Trackers = [tracker.HttpAnnounceUrl().AbsoluteUri], IsPrivate = true });
        GroupFile shared = await aliceClient.ShareFileAsync("physics", created.FileBytes, CancellationToken.None);
        await using ShoalSession seeder = ShoalSession.Start(new SessionOptions { ListenAddress = IPAddress.Loopback });
        seeder.Add(created.Torrent, new AddTorrentOptions { ContentPath = file, ContentIsVerified = true, AnnounceUrlRewrite = alice.RewriteAnnounceUrl });
        string bobConfig = Path.Combine(_folder.Path, "bob-config");
        LoginFile.Write(bobConfig, bob);

        await using NodeHost node = await NodeHost.StartAsync(TestNode.Options(_folder.Path) with { ConfigDirectory = bobConfig }, NullLoggerFactory.Instance);
        using HttpClient client = TestNode.Client(node);
        (HttpStatusCode listed, JsonElement groups) = await SendAsync(client, HttpMethod.Get, "api/v1/groups");

        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.True(groups.GetProperty("loggedIn").GetBoolean());
        Assert.Equal("bob", groups.GetProperty("user").GetString());
        JsonElement group = Assert.Single(groups.GetProperty("groups").EnumerateArray());
        Assert.Equal("physics", group.GetProperty("name").GetString());
        Assert.Equal("alice", group.GetProperty("owner").GetString());
        JsonElement listedFile = Assert.Single(group.GetProperty("files").EnumerateArray());
        Assert.Equal("lecture.bin", listedFile.GetProperty("name").GetString());
        Assert.Equal(shared.InfoHashV1, listedFile.GetProperty("infoHash").GetString());

        (HttpStatusCode got, JsonElement torrent) = await SendAsync(client, HttpMethod.Post, $"api/v1/groups/physics/files/{shared.InfoHashV1}");
        Assert.Equal(HttpStatusCode.Created, got);
        await WaitForStateAsync(client, torrent.GetProperty("id").GetString()!, "seeding");
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_folder.Path, "downloads", "lecture.bin")));
        (HttpStatusCode again, _) = await SendAsync(client, HttpMethod.Post, $"api/v1/groups/physics/files/{shared.InfoHashV1}");
        Assert.Equal(HttpStatusCode.OK, again);

        (HttpStatusCode notMember, JsonElement refusal) = await SendAsync(client, HttpMethod.Post, $"api/v1/groups/chemistry/files/{shared.InfoHashV1}");
        Assert.True(notMember is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"got {notMember}");
        Assert.False(string.IsNullOrEmpty(refusal.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Without_a_login_the_groups_say_so_and_getting_a_file_is_a_conflict()
    {
        await using NodeHost node = await NodeHost.StartAsync(TestNode.Options(_folder.Path) with { ConfigDirectory = Path.Combine(_folder.Path, "no-login") }, NullLoggerFactory.Instance);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode listed, JsonElement groups) = await SendAsync(client, HttpMethod.Get, "api/v1/groups");
        (HttpStatusCode got, JsonElement refusal) = await SendAsync(client, HttpMethod.Post, "api/v1/groups/physics/files/2db0973f709d9f0f5f0aaf61f4061d2570e776f8");

        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.False(groups.GetProperty("loggedIn").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, got);
        Assert.Contains("shoal login", refusal.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<LoginState> SignUpAsync(Uri api, HttpClient http, string name)
    {
        var anonymous = new TrackerAccountClient(api, http);
        await anonymous.CreateUserAsync(new Credentials(name, Password), CancellationToken.None);
        LoginResult login = await anonymous.LoginAsync(new Credentials(name, Password), CancellationToken.None);
        return CurrentLogin.From(api, login);
    }
}
