using Shoal.Discovery.Trackers;
using static Shoal.Tests.Discovery.TrackerClientFixtures;

namespace Shoal.Tests.Discovery;

public sealed class TrackerTiersTests : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_tracker_that_is_down_is_skipped_and_the_one_that_answers_moves_to_the_front()
    {
        await using TestHttpTracker up = TestHttpTracker.WithPeers(Peers);
        var down = new Uri($"http://127.0.0.1:{ClosedTcpPort()}/announce");
        TrackerTier tier = WithFirst(down, [[down.ToString(), up.AnnounceUrl.ToString()]]).Tiers[0];

        IReadOnlyList<TrackerAnnounceResult> results = await tier.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal([down, up.AnnounceUrl], results.Select(r => r.Tracker));
        Assert.Null(results[0].Response);
        Assert.NotNull(results[0].Error);
        Assert.Equal(Peers, results[1].Response!.Peers);
        Assert.Equal([up.AnnounceUrl, down], tier.Urls);
    }

    [Fact]
    public async Task Tiers_are_announced_to_on_their_own_and_keep_their_order()
    {
        using var udp = new TestUdpTracker { Peers = Peers };
        var down = new Uri($"udp://127.0.0.1:{ClosedUdpPort()}");
        var tiers = new TrackerTiers([[down.ToString()], [udp.Url.ToString()]], Factory, new Random(1));

        IReadOnlyList<TrackerAnnounceResult> first = await tiers.Tiers[0].AnnounceAsync(Request(), CancellationToken.None);
        IReadOnlyList<TrackerAnnounceResult> second = await tiers.Tiers[1].AnnounceAsync(Request(), CancellationToken.None);

        Assert.Null(Assert.Single(first).Response);
        Assert.Equal(Peers, Assert.Single(second).Response!.Peers);
        Assert.Equal([[down], [udp.Url]], tiers.Tiers.Select(t => t.Urls));
    }

    [Fact]
    public async Task A_failure_reason_moves_on_to_the_next_tracker_of_the_tier()
    {
        await using var refusing = new TestHttpTracker(_ => TestHttpTracker.Ok(AnnounceResponseCodec.Encode(AnnounceResponse.Failure("not here"), true)));
        await using TestHttpTracker up = TestHttpTracker.WithPeers(Peers);
        TrackerTier tier = WithFirst(refusing.AnnounceUrl, [[refusing.AnnounceUrl.ToString(), up.AnnounceUrl.ToString()]]).Tiers[0];

        IReadOnlyList<TrackerAnnounceResult> results = await tier.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal("failure reason: not here", results[0].Error);
        Assert.Equal(up.AnnounceUrl, results[^1].Tracker);
        Assert.NotNull(results[^1].Response);
    }

    [Fact]
    public async Task When_every_tracker_of_a_tier_fails_each_says_why()
    {
        await using var refusing = new TestHttpTracker(_ => TestHttpTracker.Ok(AnnounceResponseCodec.Encode(AnnounceResponse.Failure("not here"), true)));
        var http = new Uri($"http://127.0.0.1:{ClosedTcpPort()}/announce");
        var udp = new Uri($"udp://127.0.0.1:{ClosedUdpPort()}");
        var tiers = new TrackerTiers([[http.ToString(), udp.ToString(), refusing.AnnounceUrl.ToString()]], Factory, new Random(1));

        IReadOnlyList<TrackerAnnounceResult> results = await tiers.Tiers[0].AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Null(r.Response));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Error)));
        Assert.Equal("failure reason: not here", results.Single(r => r.Tracker == refusing.AnnounceUrl).Error);
        Assert.DoesNotContain(results, r => r.Error!.StartsWith(r.Tracker.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scrape_asks_the_first_tracker_of_the_tier()
    {
        using var udp = new TestUdpTracker();
        var tiers = new TrackerTiers([[udp.Url.ToString()]], Factory);

        TrackerScrapeResult result = await tiers.Tiers[0].ScrapeAsync(Hash(0xAB), CancellationToken.None);

        Assert.Equal(new ScrapeStats(10, 20, 30), result.Stats);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Unsupported_schemes_and_bad_urls_are_left_out()
    {
        var tiers = new TrackerTiers([["wss://tracker.example/announce", "not a url", "http://a.example/announce"], ["dht://x"]], Factory, new Random(1));

        Assert.Equal(1, tiers.Count);
        Assert.Equal([[new Uri("http://a.example/announce")]], tiers.Tiers.Select(t => t.Urls));
    }

    [Fact]
    public void No_trackers_is_no_tiers()
    {
        Assert.Empty(new TrackerTiers([[], ["not a url"]], Factory).Tiers);
    }

    [Fact]
    public void Each_tier_is_shuffled_by_the_given_random()
    {
        string[] urls = Enumerable.Range(1, 8).Select(i => $"http://t{i}.example/announce").ToArray();

        IReadOnlyList<Uri> first = new TrackerTiers([urls], Factory, new Random(42)).Tiers[0].Urls;
        IReadOnlyList<Uri> again = new TrackerTiers([urls], Factory, new Random(42)).Tiers[0].Urls;

        Assert.Equal(first, again);
        Assert.Equal(urls.Order(), first.Select(u => u.ToString()).Order());
        Assert.NotEqual(urls, first.Select(u => u.ToString()));
    }

    [Fact]
    public async Task Cancellation_stops_the_announce()
    {
        var tiers = new TrackerTiers([["http://a.example/announce"]], Factory);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tiers.Tiers[0].AnnounceAsync(Request(), cts.Token));
    }

    /// <summary>Tiers whose first tracker is <paramref name="first"/>: the seed that shuffles it there.</summary>
    private TrackerTiers WithFirst(Uri first, IReadOnlyList<IReadOnlyList<string>> urls)
    {
        for (int seed = 0; ; seed++)
        {
            var tiers = new TrackerTiers(urls, Factory, new Random(seed));
            if (tiers.Tiers[0].Urls[0] == first)
            {
                return tiers;
            }
        }
    }

    private ITrackerClient? Factory(Uri url) => url.Scheme switch
    {
        "http" or "https" => new HttpTrackerClient(url, _http, new HttpTrackerOptions { Timeout = TimeSpan.FromSeconds(2) }),
        "udp" => new UdpTrackerClient(url, TimeProvider.System, FastUdp),
        _ => null,
    };
}
