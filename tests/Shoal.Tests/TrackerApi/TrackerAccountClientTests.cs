using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Shoal.Tests.Discovery;
using Shoal.TrackerApi;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tests.TrackerApi;

public sealed class TrackerAccountClientTests : IDisposable
{
    private static readonly LoginResult Login = new("alice", "tok-en", "pass-key", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("tok-en")]
    public void A_password_or_token_is_not_sent_over_plain_http_to_an_address_that_is_not_loopback(string? token)
    {
        using var recording = new RecordingHandler();
        using var http = new HttpClient(recording);

        TrackerAccountException refused = Assert.Throws<TrackerAccountException>(() => new TrackerAccountClient(new Uri("http://192.0.2.1:6969/"), http, token));

        Assert.Equal("refusing to send a password or token in clear to http://192.0.2.1:6969: use its https address, or --insecure to send it anyway", refused.Message);
        Assert.Equal(0, recording.Requests);
    }

    [Theory]
    [InlineData("http://192.0.2.1:6969/", true)]
    [InlineData("https://192.0.2.1:6969/", false)]
    [InlineData("http://127.0.0.1:6969/", false)]
    [InlineData("http://localhost:6969/", false)]
    [InlineData("http://[::1]:6969/", false)]
    public async Task Https_loopback_or_insecure_is_sent(string address, bool insecure)
    {
        // The handler answers itself: nothing leaves this process, whatever the address.
        using var recording = new RecordingHandler();
        using var http = new HttpClient(recording);

        await new TrackerAccountClient(new Uri(address), http, "tok-en", insecure).LogoutAsync(CancellationToken.None);

        Assert.Equal(1, recording.Requests);
    }

    [Fact]
    public async Task Login_posts_the_credentials_as_camel_case_json_and_reads_the_token_and_passkey()
    {
        TestHttpRequest? seen = null;
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            seen = request;
            return Json("200 OK", Login);
        });

        LoginResult result = await Client(server).LoginAsync(new Credentials("alice", "secret-password"), CancellationToken.None);

        Assert.Equal(Login, result);
        Assert.Equal(("POST", "/api/sessions"), (seen!.Method, seen.Target));
        Assert.Equal("""{"name":"alice","password":"secret-password"}""", Encoding.UTF8.GetString(seen.Body));
        Assert.DoesNotContain(seen.Headers, h => h.StartsWith("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Calls_with_a_token_send_it_as_a_bearer_and_escape_names_in_the_path()
    {
        var seen = new List<TestHttpRequest>();
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            lock (seen)
            {
                seen.Add(request);
            }

            return TestHttpTracker.Response("204 No Content", []);
        });
        TrackerAccountClient client = Client(server, "tok-en");

        await client.AcceptAsync("phys ics", "bob/x", CancellationToken.None);
        await client.RemoveMemberAsync("physics", "bob", CancellationToken.None);
        await client.StopSharingAsync("physics", "ab12", CancellationToken.None);
        await client.LogoutAsync(CancellationToken.None);

        Assert.Equal(
            [("POST", "/api/groups/phys%20ics/requests/bob%2Fx/accept"), ("DELETE", "/api/groups/physics/members/bob"), ("DELETE", "/api/groups/physics/files/ab12"), ("DELETE", "/api/sessions/current")],
            seen.Select(r => (r.Method, r.Target)));
        Assert.All(seen, r => Assert.Contains("Authorization: Bearer tok-en", r.Headers));
    }

    [Fact]
    public async Task Group_lists_and_files_are_read_from_the_api_of_a_tracker_that_does_not_page()
    {
        var file = new GroupFile("data.bin", 20 << 20, "alice", new string('a', 40), null, 1, 0, DateTimeOffset.UnixEpoch);
        await using TestHttpTracker server = TestHttpTracker.Serving(request => request.Target.Split('?')[0] switch
        {
            "/api/groups" => Json("200 OK", new[] { new GroupSummary("physics", "alice", 2) }),
            "/api/groups/physics/files" => Json("200 OK", new[] { file }),
            "/api/groups/physics/requests" => Json("200 OK", new[] { new JoinRequest("bob", DateTimeOffset.UnixEpoch) }),
            _ => TestHttpTracker.Ok("d8:announce3:urle"u8.ToArray()),
        });
        TrackerAccountClient client = Client(server, "t");

        Assert.Equal([new GroupSummary("physics", "alice", 2)], await client.GetGroupsAsync(CancellationToken.None));
        Assert.Equal([file], await client.GetGroupFilesAsync("physics", CancellationToken.None));
        Assert.Equal("bob", Assert.Single(await client.GetJoinRequestsAsync("physics", CancellationToken.None)).User);
        Assert.Equal("d8:announce3:urle"u8.ToArray(), await client.GetGroupTorrentAsync("physics", file.InfoHashV1!, CancellationToken.None));
    }

    // Found by TrackerApiAnswerFuzzTests: these were read as nulls, and the CLI and the node threw NullReferenceException on them.
    [Theory]
    [InlineData("/api/groups", "[null]")]
    [InlineData("/api/groups", """[{"name":"physics","members":2}]""")]
    [InlineData("/api/sessions", """{"name":"alice","token":"t","expiresAt":"2025-01-02T03:04:05+00:00"}""")]
    [InlineData("/api/me", """{"name":"alice","groups":["physics",null]}""")]
    public async Task An_answer_missing_what_its_type_requires_is_an_account_exception(string path, string answer)
    {
        await using var server = new TestHttpTracker(_ => TestHttpTracker.Ok(System.Text.Encoding.UTF8.GetBytes(answer)));
        TrackerAccountClient client = Client(server, "t");

        await Assert.ThrowsAsync<TrackerAccountException>(() => path switch
        {
            "/api/groups" => client.GetGroupsAsync(CancellationToken.None),
            "/api/sessions" => client.LoginAsync(new Credentials("alice", "12345678"), CancellationToken.None),
            _ => (Task)client.GetAccountAsync(CancellationToken.None),
        });
    }

    [Fact]
    public async Task A_paged_group_listing_is_fetched_page_after_page()
    {
        GroupSummary[] all = [.. Enumerable.Range(0, (2 * Paging.MaxPerPage) + 3).Select(i => new GroupSummary($"g{i:D4}", "alice", 1))];
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            int page = int.Parse(request.Target.Split("page=")[1].Split('&')[0], CultureInfo.InvariantCulture);
            GroupSummary[] items = [.. all.Skip((page - 1) * Paging.MaxPerPage).Take(Paging.MaxPerPage)];
            return Json("200 OK", items, $"{Paging.TotalCountHeader}: {all.Length}\r\n");
        });

        GroupSummary[] fetched = await Client(server, "t").GetGroupsAsync(CancellationToken.None);

        Assert.Equal(all, fetched);
        Assert.Equal(
            [$"/api/groups?page=1&perPage={Paging.MaxPerPage}", $"/api/groups?page=2&perPage={Paging.MaxPerPage}", $"/api/groups?page=3&perPage={Paging.MaxPerPage}"],
            server.Targets);
    }

    [Fact]
    public async Task Sharing_posts_the_torrent_bytes()
    {
        TestHttpRequest? seen = null;
        var file = new GroupFile("x", 1, "alice", new string('b', 40), null, 0, 0, DateTimeOffset.UnixEpoch);
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            seen = request;
            return Json("201 Created", file);
        });
        byte[] torrent = "d4:infod4:name1:x7:privatei1eee"u8.ToArray();

        Assert.Equal(file, await Client(server, "t").ShareFileAsync("physics", torrent, CancellationToken.None));
        Assert.Equal(("POST", "/api/groups/physics/files"), (seen!.Method, seen.Target));
        Assert.Equal(torrent, seen.Body);
        Assert.Contains(seen.Headers, h => h.Equals("Content-Type: application/x-bittorrent", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("401 Unauthorized", HttpStatusCode.Unauthorized, "wrong name or password")]
    [InlineData("403 Forbidden", HttpStatusCode.Forbidden, "not a member of physics")]
    [InlineData("409 Conflict", HttpStatusCode.Conflict, "the name alice is taken")]
    public async Task A_refusal_is_one_line_with_the_status_and_the_apis_error(string status, HttpStatusCode code, string error)
    {
        await using var server = new TestHttpTracker(_ => Json(status, new ApiError(error)));

        TrackerAccountException e = await Assert.ThrowsAsync<TrackerAccountException>(
            () => Client(server).CreateUserAsync(new Credentials("alice", "12345678"), CancellationToken.None));

        Assert.Equal($"tracker http://127.0.0.1:{server.Port}: HTTP {(int)code}: {error}", e.Message);
        Assert.Equal(code, e.Status);
    }

    [Fact]
    public async Task An_unreachable_tracker_has_no_status()
    {
        var client = new TrackerAccountClient(new Uri($"http://127.0.0.1:{TrackerClientFixtures.ClosedTcpPort()}"), _http);

        TrackerAccountException e = await Assert.ThrowsAsync<TrackerAccountException>(() => client.GetGroupsAsync(CancellationToken.None));

        Assert.Null(e.Status);
        Assert.Contains("cannot reach it", e.Message, StringComparison.Ordinal);
    }

    private TrackerAccountClient Client(TestHttpTracker server, string? token = null) => new(new Uri($"http://127.0.0.1:{server.Port}"), _http, token);

    private static byte[] Json<T>(string status, T value, string headers = "") =>
        TestHttpTracker.Response(status, JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web), contentType: "application/json", headers: headers);

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
