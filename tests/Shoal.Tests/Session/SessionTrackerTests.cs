using System.Diagnostics;
using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Tests.Discovery;
using Shoal.Tests.Net;

namespace Shoal.Tests.Session;

/// <summary>Sessions that find each other only through a tracker on 127.0.0.1.</summary>
public sealed class SessionTrackerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_leecher_finds_the_seeder_through_the_tracker_and_announces_completed_once_and_stopped()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1024 * 1024 + 5);
        await using var tracker = new TestSwarmTracker();
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        int seederPort = seeder.ListenEndPoint.Port;
        InfoHash v2 = swarm.Torrent.InfoHashes.V2!.Truncated;
        // The v2 swarm's started goes out only after the v1 one is answered: waiting for the v1 one alone let
        // a loaded machine stop the seeder before its v2 started had been sent.
        await tracker.WaitForAsync(a => a.Any(r => r.Port == seederPort && r.InfoHash.Equals(v2)), Timeout);

        ShoalSession leecher = swarm.StartSession();
        int leecherPort = leecher.ListenEndPoint.Port;
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download"), Trackers = [tracker.AnnounceUrl.ToString()] });
        await handle.Completion.WaitAsync(Timeout);
        await tracker.WaitForAsync(a => a.Any(r => r.Port == leecherPort && r.Event == AnnounceEvent.Completed), Timeout);

        TrackerStatus status = Assert.Single(handle.GetStatus().Trackers);
        Assert.Equal(tracker.AnnounceUrl, status.Url);
        Assert.Null(status.LastError);
        Assert.NotNull(status.LastAnnounce);
        Assert.NotNull(status.NextAnnounce);
        await leecher.DisposeAsync();
        await seeder.DisposeAsync();

        swarm.AssertDownloaded(swarm.DownloadFolder("download"));
        // The v1 swarm's announces; a hybrid announces its v2 swarm the same way after each (BEP 52).
        InfoHash v1 = swarm.Torrent.InfoHashes.V1!;
        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.Completed, AnnounceEvent.Stopped], tracker.EventsFrom(leecherPort, v1));
        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.Stopped], tracker.EventsFrom(seederPort, v1));
        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.Stopped], tracker.EventsFrom(seederPort, v2));
        AnnounceRequest started = tracker.Announces.First(a => a.Port == leecherPort);
        Assert.Equal(swarm.Torrent.InfoHashes.ForWire, started.InfoHash);
        Assert.Equal(leecher.PeerId.ToArray(), started.PeerId.ToArray());
        Assert.True(started.Left > 0);
        Assert.Equal(50, started.NumWant);
        Assert.False(string.IsNullOrEmpty(started.Key));
        Assert.All(tracker.Announces.Where(a => a.Port == leecherPort), a => Assert.Equal(started.Key, a.Key));
        AnnounceRequest stopped = tracker.Announces.Last(a => a.Port == leecherPort);
        Assert.Equal(0, stopped.Left);
        Assert.Equal(0, stopped.NumWant);
        Assert.True(stopped.Downloaded >= swarm.Torrent.TotalSize);
    }

    [Fact]
    public async Task A_hybrid_says_stopped_only_to_the_swarm_whose_started_was_answered()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        InfoHash v1 = swarm.Torrent.InfoHashes.V1!;
        InfoHash v2 = swarm.Torrent.InfoHashes.V2!.Truncated;
        await using var tracker = new TestSwarmTracker(ignore: request => request.InfoHash.Equals(v2));
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        int seederPort = seeder.ListenEndPoint.Port;
        await tracker.WaitForAsync(a => a.Any(r => r.InfoHash.Equals(v2)), Timeout);

        await seeder.DisposeAsync();

        // BEP 3: stopped ends a started the tracker took in; the v2 swarm's was never answered.
        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.Stopped], tracker.EventsFrom(seederPort, v1));
        Assert.Equal([AnnounceEvent.Started], tracker.EventsFrom(seederPort, v2));
    }

    [Fact]
    public async Task Peers_the_tracker_gives_as_ipv6_are_dialled()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        await using var tracker = new TestSwarmTracker(peerAddress: IPAddress.IPv6Loopback);
        Func<SessionOptions, SessionOptions> onIpv6 = options => options with { ListenAddress = IPAddress.IPv6Loopback };
        ShoalSession seeder = swarm.StartSession(configure: onIpv6);
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        await tracker.WaitForAsync(a => a.Count > 0, Timeout);

        ShoalSession leecher = swarm.StartSession(configure: onIpv6);
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download"), Trackers = [tracker.AnnounceUrl.ToString()] });
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(swarm.DownloadFolder("download"));
    }

    [Fact]
    public async Task A_tier_whose_first_tracker_is_down_fails_over_to_the_next()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        await using var tracker = new TestSwarmTracker();
        string down = $"http://127.0.0.1:{TrackerClientFixtures.ClosedTcpPort()}/announce";
        // The tier is shuffled: in either order, the tracker that answers ends up first.
        var torrent = swarm.Torrent with { AnnounceTiers = [[down, tracker.AnnounceUrl.ToString()]] };
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        await tracker.WaitForAsync(a => a.Count > 0, Timeout);

        ShoalSession leecher = swarm.StartSession();
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download") });
        await handle.Completion.WaitAsync(Timeout);

        IReadOnlyList<TrackerStatus> trackers = handle.GetStatus().Trackers;
        Assert.Equal(2, trackers.Count);
        Assert.Equal(tracker.AnnounceUrl, trackers[0].Url);
        Assert.All(trackers, t => Assert.Equal(0, t.Tier));
    }

    [Fact]
    public async Task A_torrent_whose_first_tier_is_down_finds_peers_through_the_second()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        await using var tracker = new TestSwarmTracker();
        string down = $"udp://127.0.0.1:{TrackerClientFixtures.ClosedUdpPort()}/announce";
        var torrent = swarm.Torrent with { AnnounceTiers = [[down], [tracker.AnnounceUrl.ToString()]] };
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        await tracker.WaitForAsync(a => a.Count > 0, Timeout);

        ShoalSession leecher = swarm.StartSession();
        TorrentHandle handle = leecher.Add(torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download") });
        await handle.Completion.WaitAsync(Timeout);

        IReadOnlyList<TrackerStatus> trackers = handle.GetStatus().Trackers;
        Assert.Equal([0, 1], trackers.Select(t => t.Tier));
        Assert.Null(trackers[1].LastError);
    }

    [Fact]
    public async Task Stopped_waits_at_most_five_seconds_for_a_tracker_that_does_not_answer()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        await using var tracker = new TestSwarmTracker(ignore: request => request.Event == AnnounceEvent.Stopped);
        ShoalSession seeder = swarm.StartSession();
        TorrentHandle handle = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        await TrackerAnsweredAsync(handle);

        var stopwatch = Stopwatch.StartNew();
        await seeder.DisposeAsync();

        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 4, 9);
        Assert.Equal(AnnounceEvent.Stopped, tracker.Announces[^1].Event);
    }

    [Fact]
    public async Task Pausing_says_stopped_and_resuming_says_started_again()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        await using var tracker = new TestSwarmTracker();
        ShoalSession seeder = swarm.StartSession();
        TorrentHandle handle = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        await TrackerAnsweredAsync(handle);

        await handle.PauseAsync();
        Assert.Null(Assert.Single(handle.GetStatus().Trackers).NextAnnounce);
        handle.Resume();
        InfoHash v1 = swarm.Torrent.InfoHashes.V1!;
        await tracker.WaitForAsync(a => a.Count(r => r.InfoHash.Equals(v1)) == 3, Timeout);

        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.Stopped, AnnounceEvent.Started], tracker.AnnouncesOf(v1).Select(a => a.Event));
    }

    [Fact]
    public async Task The_next_announce_waits_for_the_trackers_interval()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        await using var tracker = new TestSwarmTracker(interval: 600);
        var time = new ManualTimeProvider();
        ShoalSession seeder = swarm.StartSession(configure: options => options with { Time = time });
        TorrentHandle handle = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        // The interval counts from when the session took the answer in, not from when the tracker got the
        // request: advancing the clock before that (a loaded machine) moved the next announce to 1199 s.
        await TrackerAnsweredAsync(handle);

        InfoHash v1 = swarm.Torrent.InfoHashes.V1!;
        time.Advance(TimeSpan.FromSeconds(599));
        await Task.Delay(300);
        Assert.Single(tracker.AnnouncesOf(v1));

        time.Advance(TimeSpan.FromSeconds(1));
        await tracker.WaitForAsync(a => a.Count(r => r.InfoHash.Equals(v1)) == 2, Timeout);
        Assert.Equal(AnnounceEvent.None, tracker.AnnouncesOf(v1)[1].Event);
    }

    [Fact]
    public async Task A_scrape_reports_each_tiers_answer()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        using var udp = new TestUdpTracker();
        string down = $"http://127.0.0.1:{TrackerClientFixtures.ClosedTcpPort()}/announce";
        ShoalSession seeder = swarm.StartSession();
        TorrentHandle handle = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [udp.Url.ToString(), down] });

        IReadOnlyList<TrackerScrapeResult> results = await handle.ScrapeAsync();

        Assert.Equal(new ScrapeStats(10, 20, 30), results.Single(r => r.Tracker == udp.Url).Stats);
        Assert.NotNull(results.Single(r => r.Tracker.ToString() == down).Error);
    }

    /// <summary>Waits until the session has taken in every tracker's answer to <c>started</c>.</summary>
    private static async Task TrackerAnsweredAsync(TorrentHandle handle)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (handle.GetStatus().Trackers.Any(t => t.LastAnnounce is null))
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
