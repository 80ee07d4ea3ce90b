using Shoal.Session;

namespace Shoal.Tests.Session;

public class PexLoopbackTests
{
    /// <summary>
    /// A leecher that knows only the seeder dials a third peer the seeder told it about (BEP 11); a private
    /// torrent's peers hear of nobody (BEP 27). The third peer never dials, so a connection to it is A's doing.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_leecher_dials_a_peer_it_learned_from_the_seeder_unless_the_torrent_is_private(bool isPrivate)
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2_000_000, isPrivate: isPrivate);
        (ShoalSession seeder, _) = swarm.StartSeeder(uploadLimit: 100_000);
        await using var third = new ListeningFakePeer(swarm.Torrent.InfoHashes);
        third.Join(seeder.ListenEndPoint);
        ShoalSession leecher = swarm.StartSession();
        leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("a"), Peers = [seeder.ListenEndPoint] });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(isPrivate ? 5 : 20);
        while (third.DialledBy.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(isPrivate ? [] : [leecher.PeerId.ToArray()], third.DialledBy.Take(1));
    }
}
