using System.Net;
using Shoal.Metainfo;
using Shoal.Session;

namespace Shoal.Tests.Session;

/// <summary>Sessions that find each other with no tracker and no address given: through the DHT, or local discovery.</summary>
public sealed class SessionDiscoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A session seeding the swarm's torrent with a DHT node, and a session whose node joins through it.</summary>
    private static (ShoalSession Seeder, ShoalSession Leecher) SeederAndLeecherOnOneDht(LoopbackSwarm swarm)
    {
        ShoalSession seeder = swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions() });
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        var bootstrap = new IPEndPoint(IPAddress.Loopback, seeder.ListenEndPoint.Port);
        return (seeder, swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions { Bootstrap = [bootstrap] } }));
    }

    [Fact]
    public async Task A_leecher_bootstrapped_to_the_seeders_dht_node_finds_it_and_downloads()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(512 * 1024);
        (ShoalSession seeder, ShoalSession leecher) = SeederAndLeecherOnOneDht(swarm);
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("dht") });
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(swarm.DownloadFolder("dht"));
        Assert.True(leecher.DhtState!.RoutingTableSize >= 1);
        Assert.True(seeder.DhtState!.StoredPeers >= 1, "the leecher announced itself to the seeder's node");
    }

    [Fact]
    public async Task A_hybrid_is_announced_under_both_its_info_hashes()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024, TorrentVersion.Hybrid);
        (ShoalSession seeder, ShoalSession leecher) = SeederAndLeecherOnOneDht(swarm);
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("hybrid") });
        await handle.Completion.WaitAsync(Timeout);

        // BEP 52: a hybrid has two swarms, the v1 one and the one of its truncated v2 hash; the leecher announced to both.
        for (int i = 0; i < 200 && seeder.DhtState!.StoredInfoHashes < 2; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, seeder.DhtState!.StoredInfoHashes);
    }

    [Fact]
    public async Task Connected_peers_exchange_dht_ports_and_each_node_joins_the_others_table()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        ShoalSession seeder = swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions() });
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });

        // No bootstrap node: the nodes meet only through BEP 5's PORT message over the peer connection.
        ShoalSession leecher = swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions() });
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("port"), Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);
        for (int i = 0; i < 200 && (leecher.DhtState!.GoodNodes == 0 || seeder.DhtState!.GoodNodes == 0); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, leecher.DhtState!.GoodNodes);
        Assert.Equal(1, seeder.DhtState!.GoodNodes);
    }

    [Fact]
    public async Task A_magnet_link_alone_is_enough_the_dht_finds_the_seeder_that_serves_the_metadata()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(512 * 1024);
        (_, ShoalSession leecher) = SeederAndLeecherOnOneDht(swarm);
        TorrentHandle handle = await leecher.AddAsync(MagnetLink.FromTorrent(swarm.Torrent), new AddTorrentOptions { SavePath = swarm.DownloadFolder("magnet") }).WaitAsync(Timeout);
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(swarm.DownloadFolder("magnet"));
    }

    [Fact]
    public async Task Two_sessions_find_each_other_by_local_discovery_alone()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(512 * 1024);
        ShoalSession seeder = swarm.StartSession(configure: o => o with { LocalDiscovery = true });
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });

        ShoalSession leecher = swarm.StartSession(configure: o => o with { LocalDiscovery = true });
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("lsd") });
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(swarm.DownloadFolder("lsd"));
    }

    [Fact]
    public async Task A_private_torrent_is_neither_announced_to_the_dht_nor_by_local_discovery()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
        Torrent secret = swarm.Torrent with { IsPrivate = true };
        ShoalSession seeder = swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions(), LocalDiscovery = true });
        seeder.Add(secret, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });

        var bootstrap = new IPEndPoint(IPAddress.Loopback, seeder.ListenEndPoint.Port);
        ShoalSession leecher = swarm.StartSession(configure: o => o with { Dht = new SessionDhtOptions { Bootstrap = [bootstrap] }, LocalDiscovery = true });
        TorrentHandle handle = leecher.Add(secret, new AddTorrentOptions { SavePath = swarm.DownloadFolder("private") });

        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Empty(handle.GetStatus().Swarm.Peers);
        Assert.Equal(0, seeder.DhtState!.StoredPeers);
        Assert.Equal(0, leecher.DhtState!.StoredPeers);
    }

    [Fact]
    public async Task Two_peers_that_dial_each_other_at_once_keep_one_connection_instead_of_dropping_both()
    {
        for (int round = 0; round < 5; round++)
        {
            await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(256 * 1024);
            ShoalSession seeder = swarm.StartSession();
            TorrentHandle seed = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
            ShoalSession leecher = swarm.StartSession();
            TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("both") });
            await Task.Delay(300);

            // Both learn of each other at the same moment, as peer exchange or the DHT can make happen.
            Parallel.Invoke(() => seed.AddPeers([leecher.ListenEndPoint]), () => handle.AddPeers([seeder.ListenEndPoint]));

            // Before the first redial (5 s): had both connections been dropped, nothing would move until then.
            await handle.Completion.WaitAsync(TimeSpan.FromSeconds(4));
        }
    }
}
