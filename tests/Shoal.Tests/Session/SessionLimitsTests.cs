using System.Diagnostics;
using Shoal.Session;
using Shoal.Tests.Swarm.Simulation;

namespace Shoal.Tests.Session;

/// <summary>Session-wide limits over real sockets: download rate, connections per torrent, and no buffer held by an idle connection.</summary>
public sealed class SessionLimitsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_session_download_limit_holds_every_torrent_to_its_rate()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(6 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder();
        ShoalSession leecher = swarm.StartSession(configure: o => o with { DownloadLimit = 2 * 1024 * 1024 });
        var stopwatch = Stopwatch.StartNew();
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download"), Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        // 6 MiB at 2 MiB/s is 3 s, less the bucket's initial burst of half a second.
        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 2.2, 10);
        swarm.AssertDownloaded(swarm.DownloadFolder("download"));
    }

    [Fact]
    public async Task A_torrent_keeps_no_more_connections_than_its_limit()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(6 * 1024 * 1024);
        ShoalSession seeder = swarm.StartSession(configure: o => o with { MaxConnectionsPerTorrent = 1 });
        TorrentHandle seeding = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, UploadLimit = 1024 * 1024 });
        TorrentHandle[] leechers =
        [
            .. Enumerable.Range(0, 3).Select(i => swarm.StartSession().Add(
                swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder($"d{i}"), Peers = [seeder.ListenEndPoint] })),
        ];

        int most = 0;
        for (int i = 0; i < 30; i++)
        {
            most = Math.Max(most, seeding.GetStatus().Swarm.Peers.Count);
            await Task.Delay(50);
        }

        Assert.Equal(1, most);
        Assert.Single(leechers, l => l.GetStatus().Swarm.Peers.Count == 1);
    }

    [Fact]
    public async Task Idle_connections_hold_no_pooled_buffer()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1024 * 1024);
        var pool = new TrackingBufferPool();
        ShoalSession first = swarm.StartSession(configure: o => o with { BufferPool = pool });
        ShoalSession second = swarm.StartSession(configure: o => o with { BufferPool = pool });

        // Two leechers with nothing to give each other: connected, with nothing to say after the handshakes.
        TorrentHandle a = first.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("a") });
        TorrentHandle b = second.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("b"), Peers = [first.ListenEndPoint] });
        while (a.GetStatus().Swarm.Peers.Count == 0 || b.GetStatus().Swarm.Peers.Count == 0)
        {
            await Task.Delay(20).WaitAsync(Timeout);
        }

        // Once the handshakes are processed nothing more is sent; a loaded machine may take a while to get there.
        var deadline = Stopwatch.StartNew();
        while (pool.Outstanding > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Single(a.GetStatus().Swarm.Peers);
        Assert.Equal(0, pool.Outstanding);
    }
}
