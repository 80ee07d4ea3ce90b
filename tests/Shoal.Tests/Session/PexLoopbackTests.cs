using Shoal.Session;
using Shoal.Swarm;

namespace Shoal.Tests.Session;

public class PexLoopbackTests
{
    /// <summary>
    /// A and C know only the seeder B, which uploads slowly enough that both are still leeching when B's
    /// ut_pex tells each about the other (BEP 11); a private torrent's peers hear of nobody (BEP 27).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_leecher_connects_to_a_peer_it_learned_from_the_seeder_unless_the_torrent_is_private(bool isPrivate)
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2_000_000, isPrivate: isPrivate);
        (ShoalSession seeder, _) = swarm.StartSeeder(uploadLimit: 100_000);
        ShoalSession a = swarm.StartSession();
        ShoalSession c = swarm.StartSession();
        TorrentHandle atA = a.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("a"), Peers = [seeder.ListenEndPoint] });
        c.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("c"), Peers = [seeder.ListenEndPoint] });
        string cId = PeerIdText.Format(c.PeerId.Span);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(isPrivate ? 5 : 20);
        bool connected = false;
        while (!connected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            connected = atA.GetStatus().Swarm.Peers.Any(p => p.PeerId == cId);
        }

        Assert.Equal(!isPrivate, connected);
    }
}
