using System.Text;
using System.Text.Json;
using Shoal.Tests.Discovery;
using Shoal.TrackerApi.Index;
using static Shoal.Tests.Discovery.TrackerClientFixtures;

namespace Shoal.Tests.TrackerApi;

public sealed class TrackerIndexClientTests : IDisposable
{
    private static readonly IndexedFile File = new()
    {
        Name = "movie.mkv",
        Size = 1234567,
        InfoHashV1 = new string('a', 40),
        Magnet = "magnet:?xt=urn:btih:" + new string('a', 40),
        Seeders = 2,
        Leechers = 1,
        Completed = 5,
        Registered = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("http://tracker.example:8080/announce", "http://tracker.example:8080/")]
    [InlineData("https://tracker.example/announce?passkey=x", "https://tracker.example/")]
    [InlineData("udp://tracker.example:6969", "http://tracker.example:6969/")]
    [InlineData("udp://tracker.example:6969/announce", "http://tracker.example:6969/")]
    [InlineData("http://[::1]:7000/announce", "http://[::1]:7000/")]
    public void The_index_is_on_the_trackers_host_and_port_over_http(string announce, string expected)
    {
        Assert.Equal(new Uri(expected), TrackerIndexAddress.FromAnnounceUrl(new Uri(announce)));
    }

    [Fact]
    public void Another_scheme_has_no_index()
    {
        TrackerIndexException e = Assert.Throws<TrackerIndexException>(() => TrackerIndexAddress.FromAnnounceUrl(new Uri("wss://tracker.example/announce")));

        Assert.Contains("wss://tracker.example/announce", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_posts_the_torrent_bytes_and_reads_the_entry()
    {
        TestHttpRequest? seen = null;
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            seen = request;
            return Json("201 Created", File);
        });
        byte[] torrent = Encoding.ASCII.GetBytes("d4:infod4:name1:xee");

        IndexedFile entry = await TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).RegisterAsync(torrent, CancellationToken.None);

        Assert.Equal(File, entry);
        Assert.Equal("POST", seen!.Method);
        Assert.Equal("/api/torrents", seen.Target);
        Assert.Equal(torrent, seen.Body);
        Assert.Contains(seen.Headers, h => h.Equals("Content-Type: application/x-bittorrent", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_refusal_is_one_line_with_the_trackers_error()
    {
        await using var server = new TestHttpTracker(_ => TestHttpTracker.Response("400 Bad Request", """{"error":"not a torrent"}"""u8.ToArray(), contentType: "application/json"));

        TrackerIndexException e = await Assert.ThrowsAsync<TrackerIndexException>(
            () => TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).RegisterAsync(new byte[] { 1 }, CancellationToken.None));

        Assert.Equal($"tracker http://127.0.0.1:{server.Port}: HTTP 400: not a torrent", e.Message);
    }

    [Fact]
    public async Task An_unreachable_tracker_is_one_line_naming_it()
    {
        var client = new TrackerIndexClient(new Uri($"http://127.0.0.1:{ClosedTcpPort()}"), _http);

        TrackerIndexException e = await Assert.ThrowsAsync<TrackerIndexException>(() => client.GetFilesAsync(null, 1, 50, CancellationToken.None));

        Assert.StartsWith($"tracker {client.BaseAddress.GetLeftPart(UriPartial.Authority)}: cannot reach it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task An_answer_that_is_not_the_api_is_an_index_exception()
    {
        await using var server = new TestHttpTracker(_ => TestHttpTracker.Ok("<html>hello</html>"u8.ToArray()));

        await Assert.ThrowsAsync<TrackerIndexException>(() => TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).GetFilesAsync(null, 1, 50, CancellationToken.None));
    }

    // Found by TrackerApiAnswerFuzzTests: these were read as nulls, and the CLI and the node threw NullReferenceException on them.
    [Theory]
    [InlineData("""{"total":1,"page":1,"perPage":50,"files":[null]}""")]
    [InlineData("""{"total":1,"page":1,"perPage":50,"files":null}""")]
    [InlineData("""{"total":1,"page":1,"perPage":50,"files":[{"name":null,"size":1,"magnet":"m"}]}""")]
    [InlineData("""{"total":1,"page":1,"perPage":50,"files":[{"size":1,"magnet":"m"}]}""")]
    public async Task An_answer_missing_what_its_type_requires_is_an_index_exception(string answer)
    {
        await using var server = new TestHttpTracker(_ => TestHttpTracker.Ok(Encoding.UTF8.GetBytes(answer)));

        await Assert.ThrowsAsync<TrackerIndexException>(() => TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).GetFilesAsync(null, 1, 50, CancellationToken.None));
    }

    [Fact]
    public async Task Files_are_asked_for_with_query_page_and_per_page()
    {
        await using var server = new TestHttpTracker(_ => Json("200 OK", new FilePage { Total = 1, Page = 2, PerPage = 10, Files = [File] }));

        FilePage page = await TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).GetFilesAsync("big movie", 2, 10, CancellationToken.None);

        Assert.Equal("/api/files?q=big%20movie&page=2&perPage=10", Assert.Single(server.Targets));
        Assert.Equal(File, Assert.Single(page.Files));
        Assert.Equal(2, page.Page);
    }

    [Fact]
    public async Task All_files_are_fetched_page_after_page()
    {
        IndexedFile[] all = [.. Enumerable.Range(0, FilePage.MaxPerPage + 3).Select(i => File with { Name = $"f{i}" })];
        await using TestHttpTracker server = TestHttpTracker.Serving(request =>
        {
            int page = request.Target.Contains("page=2", StringComparison.Ordinal) ? 2 : 1;
            IndexedFile[] files = [.. all.Skip((page - 1) * FilePage.MaxPerPage).Take(FilePage.MaxPerPage)];
            return Json("200 OK", new FilePage { Total = all.Length, Page = page, PerPage = FilePage.MaxPerPage, Files = files });
        });

        FilePage merged = await TrackerIndexClient.ForTracker(server.AnnounceUrl, _http).GetAllFilesAsync(null, CancellationToken.None);

        Assert.Equal(all, merged.Files);
        Assert.Equal(all.Length, merged.Total);
        Assert.Equal(2, server.Targets.Count);
    }

    private static byte[] Json<T>(string status, T value) =>
        TestHttpTracker.Response(status, JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web), contentType: "application/json");
}
