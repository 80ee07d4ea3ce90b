using Shoal.Net;
using Shoal.Session;
using Shoal.Swarm;

namespace Shoal.Tests.Session;

/// <summary>
/// Two sessions on 127.0.0.1 with every combination of encryption modes and transports that matters: which
/// connection they end up with (the leecher's payload counted by kind), or that they refuse each other.
/// </summary>
public sealed class TransportLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    // Both prefer: MSE, then plaintext, as libtorrent's defaults choose; over uTP, dialled first.
    [InlineData(EncryptionMode.Prefer, EncryptionMode.Prefer, true, true, PeerTransport.Utp, false)]
    [InlineData(EncryptionMode.Require, EncryptionMode.Prefer, true, true, PeerTransport.Utp, true)]
    [InlineData(EncryptionMode.Prefer, EncryptionMode.Require, true, true, PeerTransport.Utp, true)]
    // A seeder that speaks no MSE: the leecher falls back to a plain handshake.
    [InlineData(EncryptionMode.Disable, EncryptionMode.Prefer, true, true, PeerTransport.Utp, false)]
    // A leecher without uTP dials TCP; a seeder without TCP is reached over uTP.
    [InlineData(EncryptionMode.Prefer, EncryptionMode.Require, true, false, PeerTransport.Tcp, true)]
    [InlineData(EncryptionMode.Prefer, EncryptionMode.Prefer, false, true, PeerTransport.Utp, false)]
    public async Task Two_sessions_connect_over(EncryptionMode seeding, EncryptionMode leeching, bool seederTcp, bool leecherUtp, PeerTransport transport, bool encrypted)
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000);
        ShoalSession seeder = swarm.StartSession(configure: o => o with { Encryption = seeding, Tcp = seederTcp });
        seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        ShoalSession leecher = swarm.StartSession(configure: o => o with { Encryption = leeching, Utp = leecherUtp });
        string target = swarm.DownloadFolder("got");

        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(target);
        Assert.Equal([new ConnectionKind(transport, encrypted)], handle.GetStatus().Swarm.DownloadedByConnectionKind.Keys);
    }

    [Fact]
    public async Task A_private_torrent_requires_encryption_under_prefer()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000, isPrivate: true);
        (ShoalSession seeder, _) = swarm.StartSeeder();
        ShoalSession leecher = swarm.StartSession();
        string target = swarm.DownloadFolder("got");

        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = target, Peers = [seeder.ListenEndPoint] });
        await handle.Completion.WaitAsync(Timeout);

        Assert.Equal([new ConnectionKind(PeerTransport.Utp, Encrypted: true)], handle.GetStatus().Swarm.DownloadedByConnectionKind.Keys);
    }

    [Theory]
    [InlineData(EncryptionMode.Disable, EncryptionMode.Require)]
    [InlineData(EncryptionMode.Require, EncryptionMode.Disable)]
    public async Task Require_and_disable_never_connect(EncryptionMode seeding, EncryptionMode leeching)
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(300_000);
        ShoalSession seeder = swarm.StartSession(configure: o => o with { Encryption = seeding });
        TorrentHandle seeded = seeder.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true });
        ShoalSession leecher = swarm.StartSession(configure: o => o with { Encryption = leeching });

        TorrentHandle handle = leecher.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("got"), Peers = [seeder.ListenEndPoint] });

        // Several dials (uTP, then TCP, then again after the back-off) in this time; none may get a byte across.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, handle.GetStatus().Swarm.Downloaded);
        Assert.Empty(seeded.GetStatus().Swarm.Peers);
    }
}
