using System.Globalization;
using System.Text.Json;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>
/// Issue 5's whole story, as `shoal` processes on loopback: alice shares a file into her private group,
/// bob joins and downloads it by name once accepted, carol (not a member) and bob (after leaving) are
/// refused, and the tracker restarts in the middle without anyone noticing. Each user has their own
/// SHOAL_CONFIG_DIR, as on their own computer.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed class AccountStoryTests : IDisposable
{
    private const string Group = "physics";
    private const string FileName = "lecture.bin";
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-accounts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Alice_shares_into_her_group_bob_gets_it_once_accepted_and_everyone_else_is_refused()
    {
        string data = NewFolder("tracker");
        ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(data);
        try
        {
            string url = tracker.HttpAnnounce;
            User alice = await SignUpAsync("alice", url);
            User bob = await SignUpAsync("bob", url);
            User carol = await SignUpAsync("carol", url);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(alice.LoginFile));
            await alice.OkAsync("group", "create", Group);

            string content = Path.Combine(NewFolder("alice-files"), FileName);
            WriteRandom(content, 20 << 20);
            string aliceTorrent = Path.Combine(_folder, "alice.torrent");
            await using RunningProcess share = RunningProcess.Start(
                Tools.Shoal, ["share", content, "--group", Group, "--torrent-out", aliceTorrent, "--port", Port()], environment: alice.Environment);
            await share.WaitForOutputLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Torrent torrent = TorrentParser.Parse(await File.ReadAllBytesAsync(aliceTorrent));
            Assert.True(torrent.IsPrivate, "a group file's torrent is private (BEP 27)");
            Assert.Equal(url, Assert.Single(Assert.Single(torrent.AnnounceTiers)));   // the plain announce URL: no passkey in the file
            await WaitForSeedersAsync(alice, 1);

            // Before acceptance bob can neither list the group's files nor get peers.
            await bob.OkAsync("group", "join", Group);
            ProcessResult listing = await bob.RunAsync("group", "files", Group);
            Assert.True(listing.ExitCode == 1 && listing.Error.Contains("403", StringComparison.Ordinal), $"bob listed the files before acceptance: {listing.Output} {listing.Error}");
            await AssertRefusedAsync(url, bob.Passkey, torrent);

            // The tracker restarts: accounts, sessions, the group, the request, the file and alice's announce survive.
            await tracker.StopAsync();
            int port = tracker.Port;
            await tracker.DisposeAsync();
            tracker = await ShoalTrackerProcess.StartAsync(data, port);
            Assert.Equal(url, tracker.HttpAnnounce);
            Assert.Contains("logged in as alice", (await alice.OkAsync("status")).Output, StringComparison.Ordinal);
            JsonElement requests = Json(await alice.OkAsync("group", "requests", Group, "--json"));
            Assert.Equal("bob", Assert.Single(requests.EnumerateArray()).GetProperty("user").GetString());

            await alice.OkAsync("group", "accept", Group, "bob");
            JsonElement file = Assert.Single(Json(await bob.OkAsync("group", "files", Group, "--json")).EnumerateArray());
            Assert.Equal(FileName, file.GetProperty("name").GetString());
            Assert.Equal("alice", file.GetProperty("owner").GetString());
            Assert.Equal(20 << 20, file.GetProperty("size").GetInt64());

            string bobFolder = NewFolder("bob-got");
            ProcessResult got = await bob.RunAsync(TransferTimeout, "get", "--group", Group, FileName, "-o", bobFolder, "--port", Port());
            Assert.True(got.ExitCode == 0, $"bob's get exited with {got.ExitCode}: {got.Error}; alice's share: {share.Tail()}; tracker: {tracker.Tail()}");
            Transfers.AssertSameContent(content, Path.Combine(bobFolder, FileName));

            // Carol is logged in but not a member: her copy of the .torrent gets her nothing, and says why.
            string carolFolder = NewFolder("carol-got");
            ProcessResult refused = await carol.RunAsync(TimeSpan.FromSeconds(90), "get", aliceTorrent, "-o", carolFolder, "--port", Port());
            Assert.True(refused.ExitCode == 1, $"carol's get should fail: {refused.ExitCode} {refused.Output} {refused.Error}");
            Assert.StartsWith("shoal: ", refused.Error, StringComparison.Ordinal);
            Assert.Contains("refuses", refused.Error, StringComparison.Ordinal);
            await AssertRefusedAsync(url, carol.Passkey, torrent);
            await AssertRefusedAsync(url, new string('0', 40), torrent);

            // Bob leaves: his passkey is refused from then on.
            await AssertAnsweredAsync(url, bob.Passkey, torrent);
            await bob.OkAsync("group", "leave", Group);
            await AssertRefusedAsync(url, bob.Passkey, torrent);

            // Alice stops sharing: the file is no longer listed.
            await alice.OkAsync("stop-sharing", Group, FileName);
            Assert.Empty(Json(await alice.OkAsync("group", "files", Group, "--json")).EnumerateArray());
            await tracker.StopAsync();
        }
        finally
        {
            await tracker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Not_logged_in_group_commands_fail_with_one_line_and_status_says_so()
    {
        var nobody = new User("nobody", NewFolder("nobody"), "");

        Assert.Equal("not logged in", (await nobody.OkAsync("status")).Output.Trim());
        ProcessResult groups = await nobody.RunAsync("group", "list");
        Assert.Equal(1, groups.ExitCode);
        Assert.Equal("shoal: not logged in: run 'shoal login NAME --tracker URL' first", groups.Error.Trim());
    }

    [Fact]
    public async Task Create_register_registers_as_the_logged_in_user_and_a_stranger_is_told_why_not()
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(NewFolder("index-tracker"));
        User erin = await SignUpAsync("erin", tracker.HttpAnnounce);
        var stranger = new User("stranger", NewFolder("stranger"), "");
        string content = Path.Combine(NewFolder("erin-files"), "notes.bin");
        WriteRandom(content, 100_000);

        ProcessResult registered = await erin.RunAsync("create", content, "-o", Path.Combine(_folder, "erin.torrent"), "--tracker", tracker.HttpAnnounce, "--register");
        ProcessResult refused = await stranger.RunAsync("create", content, "-o", Path.Combine(_folder, "stranger.torrent"), "--tracker", tracker.HttpAnnounce, "--register");

        Assert.True(registered.ExitCode == 0, $"erin's create --register: {registered.Error}");
        Assert.Contains("registered notes.bin in the file index", registered.Error + registered.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);
        JsonElement files = Json(await stranger.OkAsync("files", "--tracker", tracker.HttpAnnounce, "--json"));
        Assert.Equal("notes.bin", Assert.Single(files.GetProperty("files").EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("login")]
    [InlineData("user", "create")]
    public async Task A_password_is_not_sent_in_clear_to_another_computer(params string[] command)
    {
        // 192.0.2.1 is TEST-NET-1: the refusal comes before any connection, so nothing is sent to it.
        var dave = new User("dave", NewFolder("dave-" + command[0]), "");
        ProcessResult refused = await dave.RunWithInputAsync("dave's long password\n", [.. command, "dave", "--tracker", "http://192.0.2.1:6969", "--password-stdin"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("shoal: refusing to send a password or token in clear to http://192.0.2.1:6969: use its https address, or --insecure to send it anyway", refused.Error.Trim());
    }

    /// <summary>Creates the account and logs in with --password-stdin, in a config folder of its own.</summary>
    private async Task<User> SignUpAsync(string name, string tracker)
    {
        var user = new User(name, NewFolder($"{name}-config"), "");
        string password = $"{name}'s long password";
        ProcessResult created = await user.RunWithInputAsync(password + "\n", "user", "create", name, "--tracker", tracker, "--password-stdin");
        Assert.True(created.ExitCode == 0, $"user create {name}: {created.Error}");
        ProcessResult login = await user.RunWithInputAsync(password + "\n", "login", name, "--tracker", tracker, "--password-stdin");
        Assert.True(login.ExitCode == 0, $"login {name}: {login.Error}");
        Assert.StartsWith($"logged in as {name} on ", login.Output, StringComparison.Ordinal);
        string passkey = JsonDocument.Parse(await File.ReadAllTextAsync(user.LoginFile)).RootElement.GetProperty("passkey").GetString()!;
        return user with { Passkey = passkey };
    }

    private static async Task WaitForSeedersAsync(User member, int seeders)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            JsonElement files = Json(await member.OkAsync("group", "files", Group, "--json"));
            if (files.EnumerateArray().Any(f => f.GetProperty("seeders").GetInt32() == seeders))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the group file never had {seeders} seeder(s)");
    }

    private static async Task AssertRefusedAsync(string announce, string passkey, Torrent torrent)
    {
        AnnounceResponse response = await AnnounceAsync(announce, passkey, torrent);
        Assert.True(response.FailureReason is not null, $"an announce with passkey {passkey} should be refused");
        Assert.Empty(response.Peers);
    }

    private static async Task AssertAnsweredAsync(string announce, string passkey, Torrent torrent)
    {
        AnnounceResponse response = await AnnounceAsync(announce, passkey, torrent);
        Assert.True(response.FailureReason is null, $"a member's announce was refused: {response.FailureReason}");
    }

    /// <summary>A raw HTTP announce to /announce/PASSKEY, as any BitTorrent client would send it.</summary>
    private static async Task<AnnounceResponse> AnnounceAsync(string announce, string passkey, Torrent torrent)
    {
        using var http = new HttpClient();
        var client = new HttpTrackerClient(new Uri($"{announce}/{passkey}"), http);
        byte[] peerId = "-XX0001-raw-announce"u8.ToArray();
        var request = new AnnounceRequest(torrent.InfoHashes.ForWire, peerId, 6881, 0, 0, torrent.TotalSize, AnnounceEvent.Started);
        return await client.AnnounceAsync(request, CancellationToken.None);
    }

    private static JsonElement Json(ProcessResult result) => JsonDocument.Parse(result.Output).RootElement;

    private static void WriteRandom(string path, int length)
    {
        byte[] bytes = new byte[length];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static string Port() => Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);

    private string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;

    /// <summary>A user on their own computer: `shoal` with their config folder.</summary>
    private sealed record User(string Name, string ConfigFolder, string Passkey)
    {
        public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = ConfigFolder };

        public string LoginFile => Path.Combine(ConfigFolder, "login.json");

        public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(TimeSpan.FromMinutes(1), arguments);

        public Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
            ProcessRunner.RunAsync(Tools.Shoal, arguments, timeout: timeout, environment: Environment);

        /// <summary>Runs a command with <paramref name="standardInput"/> on its standard input.</summary>
        public Task<ProcessResult> RunWithInputAsync(string standardInput, params string[] arguments) =>
            ProcessRunner.RunAsync(Tools.Shoal, arguments, timeout: TimeSpan.FromMinutes(1), environment: Environment, standardInput: standardInput);

        /// <summary>Runs a command that must succeed.</summary>
        public async Task<ProcessResult> OkAsync(params string[] arguments)
        {
            ProcessResult result = await RunAsync(arguments);
            Assert.True(result.ExitCode == 0, $"{Name}: shoal {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Error}");
            return result;
        }
    }
}
