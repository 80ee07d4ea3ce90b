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
        TrackerTiers tiers = WithFirst(down, [[down.ToString(), up.AnnounceUrl.ToString()]]);

        TrackerAnnounceResult result = await tiers.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(up.AnnounceUrl, result.Tracker);
        Assert.Equal(Peers, result.Response.Peers);
        Assert.Equal([up.AnnounceUrl, down], tiers.Tiers[0]);
    }

    [Fact]
    public async Task The_next_tier_is_tried_when_a_whole_tier_fails_and_tiers_keep_their_order()
    {
        using var udp = new TestUdpTracker { Peers = Peers };
        var down = new Uri($"udp://127.0.0.1:{ClosedUdpPort()}");
        var tiers = new TrackerTiers([[down.ToString()], [udp.Url.ToString()]], Factory, new Random(1));

        TrackerAnnounceResult result = await tiers.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(udp.Url, result.Tracker);
        Assert.Equal([[down], [udp.Url]], tiers.Tiers);
    }

    [Fact]
    public async Task A_failure_reason_moves_on_to_the_next_tracker()
    {
        await using var refusing = new TestHttpTracker(_ => TestHttpTracker.Ok(AnnounceResponseCodec.Encode(AnnounceResponse.Failure("not here"), true)));
        await using TestHttpTracker up = TestHttpTracker.WithPeers(Peers);
        var tiers = new TrackerTiers([[refusing.AnnounceUrl.ToString()], [up.AnnounceUrl.ToString()]], Factory, new Random(1));

        TrackerAnnounceResult result = await tiers.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(up.AnnounceUrl, result.Tracker);
    }

    [Fact]
    public async Task When_every_tracker_fails_the_exception_names_each()
    {
        await using var refusing = new TestHttpTracker(_ => TestHttpTracker.Ok(AnnounceResponseCodec.Encode(AnnounceResponse.Failure("not here"), true)));
        var http = new Uri($"http://127.0.0.1:{ClosedTcpPort()}/announce");
        var udp = new Uri($"udp://127.0.0.1:{ClosedUdpPort()}");
        var tiers = new TrackerTiers([[http.ToString(), udp.ToString()], [refusing.AnnounceUrl.ToString()]], Factory, new Random(1));

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => tiers.AnnounceAsync(Request(), CancellationToken.None));

        Assert.Contains(http.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(udp.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains($"{refusing.AnnounceUrl}: failure reason: not here", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_schemes_and_bad_urls_are_left_out()
    {
        var tiers = new TrackerTiers([["wss://tracker.example/announce", "not a url", "http://a.example/announce"], ["dht://x"]], Factory, new Random(1));

        Assert.Equal(1, tiers.Count);
        Assert.Equal([[new Uri("http://a.example/announce")]], tiers.Tiers);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task No_trackers_is_a_TrackerException()
    {
        var tiers = new TrackerTiers([], Factory);

        await Assert.ThrowsAsync<TrackerException>(() => tiers.AnnounceAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public void Each_tier_is_shuffled_by_the_given_random()
    {
        string[] urls = Enumerable.Range(1, 8).Select(i => $"http://t{i}.example/announce").ToArray();

        IReadOnlyList<Uri> first = new TrackerTiers([urls], Factory, new Random(42)).Tiers[0];
        IReadOnlyList<Uri> again = new TrackerTiers([urls], Factory, new Random(42)).Tiers[0];

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

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tiers.AnnounceAsync(Request(), cts.Token));
    }

    /// <summary>Tiers whose first tracker is <paramref name="first"/>: the seed that shuffles it there.</summary>
    private TrackerTiers WithFirst(Uri first, IReadOnlyList<IReadOnlyList<string>> urls)
    {
        for (int seed = 0; ; seed++)
        {
            var tiers = new TrackerTiers(urls, Factory, new Random(seed));
            if (tiers.Tiers[0][0] == first)
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
