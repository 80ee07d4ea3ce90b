using System.Text;
using Shoal.Discovery.Trackers;
using static Shoal.Tests.Discovery.TrackerClientFixtures;

namespace Shoal.Tests.Discovery;

public sealed class HttpTrackerClientTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Announce_gets_the_peers_back(bool compact)
    {
        await using TestHttpTracker tracker = TestHttpTracker.WithPeers(Peers);
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);

        AnnounceResponse response = await client.AnnounceAsync(Request(compact: compact), CancellationToken.None);

        Assert.Null(response.FailureReason);
        Assert.Equal(Peers, response.Peers);
        Assert.Equal(1800, response.Interval);
        Assert.Equal(60, response.MinInterval);
        Assert.Equal((5, 7), (response.Complete, response.Incomplete));
        string target = Assert.Single(tracker.Targets);
        AnnounceRequest received = AnnounceRequestCodec.Parse(target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(Request(compact: compact), received);
    }

    [Fact]
    public async Task A_failure_reason_comes_back_in_the_response()
    {
        await using var tracker = new TestHttpTracker(_ => TestHttpTracker.Ok(AnnounceResponseCodec.Encode(AnnounceResponse.Failure("unregistered torrent"), true)));
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal("unregistered torrent", response.FailureReason);
    }

    [Fact]
    public async Task A_failure_reason_with_an_error_status_comes_back_in_the_response()
    {
        await using var tracker = new TestHttpTracker(_ => TestHttpTracker.Response("403 Forbidden", AnnounceResponseCodec.Encode(AnnounceResponse.Failure("passkey"), true)));
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);

        Assert.Equal("passkey", (await client.AnnounceAsync(Request(), CancellationToken.None)).FailureReason);
    }

    [Fact]
    public async Task Scrape_gets_the_numbers_of_each_torrent()
    {
        await using TestHttpTracker tracker = TestHttpTracker.WithPeers(Peers, new ScrapeStats(4, 5, 6));
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);

        ScrapeResponse response = await client.ScrapeAsync([Hash(1), Hash(2)], CancellationToken.None);

        Assert.Null(response.FailureReason);
        Assert.Equal(new ScrapeStats(4, 5, 6), response.Files[Hash(1)]);
        Assert.Equal(new ScrapeStats(4, 5, 6), response.Files[Hash(2)]);
        Assert.StartsWith("/scrape?", Assert.Single(tracker.Targets), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_without_a_scrape_url_is_a_TrackerException()
    {
        var client = new HttpTrackerClient(new Uri("http://127.0.0.1:1/tracker"), _http);

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => client.ScrapeAsync([Hash(1)], CancellationToken.None));
        Assert.Contains("cannot be scraped", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("200 OK", "<html>hello</html>")]
    [InlineData("200 OK", "d8:intervali1800e5:peers5:abcdee")]
    [InlineData("500 Internal Server Error", "oops")]
    public async Task Garbage_is_a_TrackerException(string status, string body)
    {
        await using var tracker = new TestHttpTracker(_ => TestHttpTracker.Response(status, Encoding.ASCII.GetBytes(body)));
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);

        await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversized_response_is_a_TrackerException(bool contentLength)
    {
        byte[] body = new byte[300_000];
        await using var tracker = new TestHttpTracker(_ => TestHttpTracker.Response("200 OK", body, contentLength));
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http, new HttpTrackerOptions { MaxResponseBytes = 100_000 });

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
        Assert.Contains("100000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tracker_that_does_not_answer_times_out()
    {
        await using var tracker = new TestHttpTracker(_ => null);
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http, new HttpTrackerOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
        Assert.Contains("no answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_a_TrackerException()
    {
        var client = new HttpTrackerClient(new Uri($"http://127.0.0.1:{ClosedTcpPort()}/announce"), _http);

        await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_is_not_a_TrackerException()
    {
        await using var tracker = new TestHttpTracker(_ => null);
        var client = new HttpTrackerClient(tracker.AnnounceUrl, _http);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AnnounceAsync(Request(), cts.Token));
    }

    [Fact]
    public void Only_http_urls_are_accepted() =>
        Assert.Throws<ArgumentException>(() => new HttpTrackerClient(new Uri("udp://127.0.0.1:1"), _http));

    [Fact]
    public async Task The_passkey_query_of_the_announce_url_is_kept()
    {
        await using TestHttpTracker tracker = TestHttpTracker.WithPeers(Peers);
        var client = new HttpTrackerClient(new Uri($"http://127.0.0.1:{tracker.Port}/announce?passkey=s3cret"), _http);

        await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.StartsWith("/announce?passkey=s3cret&info_hash=", Assert.Single(tracker.Targets), StringComparison.Ordinal);
    }
}
