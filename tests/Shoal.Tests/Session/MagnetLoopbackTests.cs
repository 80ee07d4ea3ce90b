using Shoal.Metainfo;
using Shoal.Session;
using Shoal.Tests.Discovery;
using Shoal.Tests.Net;

namespace Shoal.Tests.Session;

public class MagnetLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    [InlineData(TorrentVersion.V2)]
    public async Task A_magnet_link_fetches_the_metadata_from_a_seeder_then_downloads(TorrentVersion version)
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000, version);
        (ShoalSession seeder, _) = swarm.StartSeeder();
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("magnet");

        TorrentHandle handle = await leecher.AddAsync(MagnetLink.FromTorrent(swarm.Torrent), new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] })
            .WaitAsync(Timeout);
        Assert.Equal(swarm.Torrent.InfoHashes, handle.Torrent.InfoHashes);

        // A v2-only torrent's piece layers came by BEP 52 hash requests, the seeder's answers proven against the roots.
        Assert.Equal(version == TorrentVersion.V2 ? swarm.Torrent.PieceLayers.Count : 0, handle.Torrent.PieceLayers.Count);
        Assert.True(version != TorrentVersion.V2 || handle.Torrent.PieceLayers.Count > 0);
        Assert.All(handle.Torrent.PieceLayers, l => Assert.Equal(swarm.Torrent.PieceLayers[l.Key].ToArray(), l.Value.ToArray()));
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
    }

    /// <summary>
    /// A hybrid joins both swarms (BEP 52): a leecher told only the v2 hash dials the seeder with the truncated v2 hash,
    /// which the seeder accepts and answers with that same hash; the download then runs on the v1 hash.
    /// </summary>
    [Fact]
    public async Task A_hybrid_magnet_with_only_its_v2_hash_fetches_from_a_seeder()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000, TorrentVersion.Hybrid);
        (ShoalSession seeder, _) = swarm.StartSeeder();
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("magnet");
        var magnet = new MagnetLink { InfoHashes = new InfoHashes(null, swarm.Torrent.InfoHashes.V2) };

        TorrentHandle handle = await leecher.AddAsync(magnet, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] }).WaitAsync(Timeout);

        Assert.Equal(swarm.Torrent.InfoHashes, handle.Torrent.InfoHashes);
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
    }

    /// <summary>A hybrid seeder announces its v2 swarm too: a leecher told only the v2 hash finds it through the tracker.</summary>
    [Fact]
    public async Task A_hybrid_seeder_announces_both_hashes_and_a_v2_magnet_finds_it_through_the_tracker()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(200_000, TorrentVersion.Hybrid);
        await using var tracker = new TestSwarmTracker();
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        int seederPort = seeder.ListenEndPoint.Port;
        InfoHash v2 = swarm.Torrent.InfoHashes.V2!.Truncated;
        await tracker.WaitForAsync(a => a.Any(r => r.Port == seederPort && r.InfoHash.Equals(v2)), Timeout);
        Assert.Contains(tracker.Announces, r => r.Port == seederPort && r.InfoHash.Equals(swarm.Torrent.InfoHashes.V1));
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("magnet");

        var magnet = new MagnetLink { InfoHashes = new InfoHashes(null, swarm.Torrent.InfoHashes.V2), Trackers = [tracker.AnnounceUrl.ToString()] };
        TorrentHandle handle = await leecher.AddAsync(magnet, new AddTorrentOptions { SavePath = target }).WaitAsync(Timeout);
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
    }

    [Fact]
    public async Task A_magnet_link_finds_the_seeder_through_its_tracker()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(200_000);
        await using var tracker = new TestSwarmTracker();
        ShoalSession seeder = swarm.StartSession();
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        int seederPort = seeder.ListenEndPoint.Port;
        await tracker.WaitForAsync(a => a.Any(r => r.Port == seederPort), Timeout);
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("magnet");

        MagnetLink magnet = MagnetLink.FromTorrent(swarm.Torrent) with { Trackers = [tracker.AnnounceUrl.ToString()] };
        TorrentHandle handle = await leecher.AddAsync(magnet, new AddTorrentOptions { SavePath = target }).WaitAsync(Timeout);
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
        Assert.Equal(tracker.AnnounceUrl, Assert.Single(handle.GetStatus().Trackers).Url);
    }

    /// <summary>The tracker knows no peer yet when the magnet is added: the fetch announces again at the tracker's interval.</summary>
    [Fact]
    public async Task A_magnet_fetch_announces_again_until_its_tracker_knows_a_seeder()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(200_000);
        await using var tracker = new TestSwarmTracker(interval: 60);
        var time = new ManualTimeProvider();
        ShoalSession leecher = swarm.StartSession(configure: options => options with { Time = time });
        MagnetLink magnet = MagnetLink.FromTorrent(swarm.Torrent) with { Trackers = [tracker.AnnounceUrl.ToString()] };
        Task<TorrentHandle> adding = leecher.AddAsync(magnet, new AddTorrentOptions { SavePath = swarm.DownloadFolder("magnet") });
        int leecherPort = leecher.ListenEndPoint.Port;
        await tracker.WaitForAsync(a => a.Any(r => r.Port == leecherPort), Timeout);

        ShoalSession seeder = swarm.StartSession();
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        int seederPort = seeder.ListenEndPoint.Port;
        await tracker.WaitForAsync(a => a.Any(r => r.Port == seederPort), Timeout);
        Assert.False(adding.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(61));
        await tracker.WaitForAsync(a => a.Count(r => r.Port == leecherPort) >= 2, Timeout);

        // The fetch dials the peers it heard of at its next second.
        for (int second = 0; second < 30 && !adding.IsCompleted; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(adding, Task.Delay(100));
        }

        TorrentHandle handle = await adding.WaitAsync(Timeout);
        Assert.Equal(swarm.Torrent.InfoHashes, handle.Torrent.InfoHashes);
    }

    [Fact]
    public async Task A_peer_sending_corrupt_metadata_is_dropped_and_another_peers_metadata_is_used()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000);
        await using var liar = new CorruptMetadataPeer(swarm.Torrent.InfoHashes, swarm.Torrent.InfoBytes.Length);
        (ShoalSession seeder, _) = swarm.StartSeeder();
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("magnet");

        TorrentHandle handle = await leecher.AddAsync(
            MagnetLink.FromTorrent(swarm.Torrent),
            new AddTorrentOptions { SavePath = target, Peers = [liar.EndPoint, seeder.ListenEndPoint] }).WaitAsync(Timeout);
        Assert.Equal(swarm.Torrent.InfoBytes.ToArray(), handle.Torrent.InfoBytes.ToArray());
        await handle.Completion.WaitAsync(Timeout);
        swarm.AssertDownloaded(target);
    }

    [Fact]
    public async Task Only_a_corrupt_peer_never_yields_metadata()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(100_000);
        await using var liar = new CorruptMetadataPeer(swarm.Torrent.InfoHashes, swarm.Torrent.InfoBytes.Length);
        ShoalSession leecher = swarm.StartSession();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leecher.AddAsync(
            MagnetLink.FromTorrent(swarm.Torrent),
            new AddTorrentOptions { SavePath = swarm.DownloadFolder("magnet"), Peers = [liar.EndPoint] },
            cancel.Token));
        Assert.True(liar.PiecesServed > 0);
        Assert.Empty(leecher.Torrents);
    }
}
