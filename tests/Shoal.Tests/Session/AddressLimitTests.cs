using Shoal.Session;

namespace Shoal.Tests.Session;

/// <summary>Issue 13, item 3: one address must not take every connection slot of a torrent.</summary>
public sealed class AddressLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_download_completes_while_one_address_holds_70_handshakes_to_the_seeder()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(2 * 1024 * 1024);
        var (seeder, _) = swarm.StartSeeder();
        using var hogs = new SlotHogs();
        int held = await hogs.OpenAsync(seeder.ListenEndPoint, swarm.Torrent.InfoHashes, 70, CancellationToken.None).WaitAsync(Timeout);

        ShoalSession leecher = swarm.StartSession();
        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("download"), Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        Assert.Equal(seeder.Options.MaxConnectionsPerAddress, held);
        swarm.AssertDownloaded(swarm.DownloadFolder("download"));
    }
}
