using System.Net;
using System.Text;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tracker.Tests.Http;

public sealed class HttpAnnounceTests
{
    [Fact]
    public async Task Peers_find_each_other_and_counts_follow_events()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();

        AnnounceResponse first = await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        Assert.Empty(first.Peers);
        // A tracker that started with no peers asks clients back soon while its swarms refill.
        Assert.Equal(30, first.Interval);
        Assert.Equal(30, first.MinInterval);

        AnnounceResponse second = await client.AnnounceAsync(RunningTracker.Request(hash, 7002, left: 0), CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(second.Peers));
        Assert.Equal((1, 1), (second.Complete, second.Incomplete));

        await client.AnnounceAsync(RunningTracker.Request(hash, 7001, left: 0, AnnounceEvent.Completed), CancellationToken.None);
        await client.AnnounceAsync(RunningTracker.Request(hash, 7002, left: 0, AnnounceEvent.Stopped), CancellationToken.None);
        ScrapeResponse scrape = await client.ScrapeAsync([hash], CancellationToken.None);
        Assert.Equal(new ScrapeStats(Complete: 1, Downloaded: 1, Incomplete: 0), scrape.Files[hash]);
    }

    [Fact]
    public async Task A_partial_seed_announcing_paused_is_not_counted_as_a_seed()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();

        // BEP 21: a peer with every piece of the files it chose says paused in every announce, with nothing left.
        await client.AnnounceAsync(RunningTracker.Request(hash, 7001, left: 0, AnnounceEvent.Paused), CancellationToken.None);
        AnnounceResponse seed = await client.AnnounceAsync(RunningTracker.Request(hash, 7002, left: 0), CancellationToken.None);

        Assert.Equal((1, 1), (seed.Complete, seed.Incomplete));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(seed.Peers));
    }

    [Fact]
    public async Task A_compact_answer_carries_the_swarms_figures_and_compact_peers()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        InfoHash hash = RunningTracker.RandomHash();
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);

        string query = AnnounceRequestCodec.AppendQuery(tracker.HttpAnnounce, RunningTracker.Request(hash, 7002, left: 0));
        byte[] body = await tracker.Http.GetByteArrayAsync(new Uri(query));
        byte[] expected = [.. "d8:completei1e10:downloadedi0e10:incompletei1e8:intervali30e12:min intervali30e5:peers6:"u8, 127, 0, 0, 1, 0x1B, 0x59, (byte)'e'];
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task Non_compact_clients_get_a_list_of_dictionaries()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();
        await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);

        string query = AnnounceRequestCodec.AppendQuery(tracker.HttpAnnounce, RunningTracker.Request(hash, 7002, compact: false));
        byte[] body = await tracker.Http.GetByteArrayAsync(new Uri(query));
        Assert.Contains("5:peersld2:ip9:127.0.0.14:porti7001ee", Encoding.Latin1.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IPv6_peers_come_back_in_peers6()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(listen: IPAddress.IPv6Any);
        using var http6 = new HttpClient();
        var client6 = new HttpTrackerClient(new Uri($"http://[::1]:{tracker.Port}/announce"), http6);
        InfoHash hash = RunningTracker.RandomHash();
        await client6.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);

        AnnounceResponse fromV4 = await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7003), CancellationToken.None);
        Assert.Contains(new IPEndPoint(IPAddress.IPv6Loopback, 7001), fromV4.Peers);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 7002), fromV4.Peers);
    }

    [Fact]
    public async Task Numwant_is_capped_with_a_warning()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { MaxNumWant = 5 });
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();
        for (int port = 7000; port < 7010; port++)
        {
            await client.AnnounceAsync(RunningTracker.Request(hash, port), CancellationToken.None);
        }

        AnnounceResponse response = await client.AnnounceAsync(RunningTracker.Request(hash, 7100) with { NumWant = 2_000_000_000 }, CancellationToken.None);
        Assert.Equal(5, response.Peers.Count);
        Assert.Equal("numwant is capped at 5", response.WarningMessage);
        Assert.Equal(3, (await client.AnnounceAsync(RunningTracker.Request(hash, 7101) with { NumWant = 3 }, CancellationToken.None)).Peers.Count);
    }

    [Fact]
    public async Task A_closed_tracker_tracks_only_registered_torrents()
    {
        using var folder = new Shoal.Tests.TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { Closed = true, OpenRegistration = true });
        HttpTrackerClient client = tracker.HttpClient();
        var created = await RunningTracker.TorrentAsync(folder, "registered.bin");
        InfoHash v1 = created.Torrent.InfoHashes.V1!;

        AnnounceResponse refused = await client.AnnounceAsync(RunningTracker.Request(v1, 7001), CancellationToken.None);
        Assert.Equal(Protocol.TrackerService.NotRegistered, refused.FailureReason);

        using var body = new ByteArrayContent(created.FileBytes);
        (await tracker.Http.PostAsync(new Uri("api/torrents", UriKind.Relative), body)).EnsureSuccessStatusCode();
        Assert.Null((await client.AnnounceAsync(RunningTracker.Request(v1, 7001), CancellationToken.None)).FailureReason);
        // A hybrid torrent is also announced by its truncated v2 hash (BEP 52).
        Assert.Null((await client.AnnounceAsync(RunningTracker.Request(created.Torrent.InfoHashes.V2!.Truncated, 7001), CancellationToken.None)).FailureReason);
        Assert.Equal(Protocol.TrackerService.NotRegistered, (await client.AnnounceAsync(RunningTracker.Request(RunningTracker.RandomHash(), 7001), CancellationToken.None)).FailureReason);
    }

    [Fact]
    public async Task One_address_is_limited_per_minute()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { RequestsPerMinutePerAddress = 20 });
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();
        var reasons = new List<string?>();
        for (int i = 0; i < 25; i++)
        {
            reasons.Add((await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None)).FailureReason);
        }

        Assert.Equal(20, reasons.Count(reason => reason is null));
        Assert.Contains("too many requests from 127.0.0.1", reasons.Last(), StringComparison.Ordinal);
    }
}
