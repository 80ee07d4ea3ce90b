using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tests;
using Shoal.Tests.Net;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>A restart of the tracker is invisible to its clients: the swarms come back as they were.</summary>
public sealed class TrackerRestartTests
{
    [Fact]
    public async Task After_a_clean_restart_a_new_leecher_gets_the_peers_at_once_over_http_and_udp()
    {
        using var data = new TempFolder();
        InfoHash hash = RunningTracker.RandomHash();
        int port;
        UdpTrackerClient udp;
        await using (RunningTracker tracker = await RunningTracker.StartAsync(data))
        {
            port = tracker.Port;
            await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7001, left: 0), CancellationToken.None);
            await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);
            udp = tracker.UdpClient();
            await udp.AnnounceAsync(RunningTracker.Request(hash, 7003), CancellationToken.None);
        }

        await using RunningTracker restarted = await RunningTracker.StartAsync(data, o => o with { Port = port });

        AnnounceResponse http = await restarted.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7004), CancellationToken.None);
        Assert.Equal([7001, 7002, 7003], http.Peers.Select(p => p.Port).Order());
        Assert.Equal((1, 3), (http.Complete, http.Incomplete));
        Assert.Equal(1800, http.Interval);   // peers were restored: no short refill interval

        // The UDP client's connection id is from before the restart, which the new process does not know.
        AnnounceResponse again = await udp.AnnounceAsync(RunningTracker.Request(hash, 7003), CancellationToken.None);
        Assert.Null(again.FailureReason);
        Assert.Equal([7001, 7002, 7004], again.Peers.Select(p => p.Port).Order());
    }

    [Fact]
    public async Task After_a_start_with_no_peers_the_interval_is_short_for_one_announce_interval()
    {
        var time = new ManualTimeProvider();
        await using RunningTracker tracker = await RunningTracker.StartAsync(time: time);
        HttpTrackerClient client = tracker.HttpClient();
        InfoHash hash = RunningTracker.RandomHash();

        AnnounceResponse refilling = await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(30));
        AnnounceResponse settled = await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);

        Assert.Equal((30, 30), (refilling.Interval, refilling.MinInterval));
        Assert.Equal((1800, 300), (settled.Interval, settled.MinInterval));
    }

    [Fact]
    public async Task Peers_that_expired_while_the_tracker_was_down_are_not_restored_and_the_interval_is_short()
    {
        using var data = new TempFolder();
        var time = new ManualTimeProvider();
        InfoHash hash = RunningTracker.RandomHash();
        await using (RunningTracker tracker = await RunningTracker.StartAsync(data, time: time))
        {
            await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromHours(1));
        await using RunningTracker restarted = await RunningTracker.StartAsync(data, time: time);

        AnnounceResponse answer = await restarted.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);
        Assert.Empty(answer.Peers);
        Assert.Equal(30, answer.Interval);
    }
}
