using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Net;
using Shoal.Session;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;

namespace Shoal.Tests.Session;

/// <summary>Issue 13, item 1: a peer sending ut_metadata requests and never reading must not grow our memory.</summary>
public sealed class MetadataFloodTests
{
    private const int Requests = 8000;
    private const long MemoryBound = 100L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_peer_flooding_metadata_requests_without_reading_gets_a_bounded_queue()
    {
        using var folder = new TempFolder();

        // 1,100 pieces make an info dictionary of two metadata pieces, so piece 0 is a full 16 KiB answer.
        string content = folder.File("content.bin", TempFolder.RandomBytes(1100 * 16 * 1024, 1));
        CreatedTorrent created = await TorrentCreator.CreateAsync(content, new TorrentCreationOptions { Version = TorrentVersion.V1, PieceLength = 16 * 1024 }, null, CancellationToken.None);
        var pool = new TrackingBufferPool();
        await using ShoalSession seeder = ShoalSession.Start(new SessionOptions { ListenAddress = System.Net.IPAddress.Loopback, BufferPool = pool });
        TorrentHandle seeding = seeder.Add(created.Torrent, new AddTorrentOptions { ContentPath = content, ContentIsVerified = true });

        using var attacker = new MetadataFloodPeer();
        await attacker.FloodAsync(seeder.ListenEndPoint, created.Torrent.InfoHashes, Requests, CancellationToken.None).WaitAsync(Timeout);
        PeerSnapshot flooding = await WaitUntilInterestedAsync(seeding);

        Assert.InRange(flooding.QueuedBytes, 0, SendQueue.MessageBytes);
        Assert.InRange(pool.PeakOutstandingBytes, 0, MemoryBound);
    }

    /// <summary>The attacker's last message; handled after every request before it.</summary>
    private static async Task<PeerSnapshot> WaitUntilInterestedAsync(TorrentHandle seeding)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (seeding.GetStatus().Swarm.Peers.FirstOrDefault(p => p.PeerInterested) is { } peer)
            {
                return peer;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
