using System.Net;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>A web seed (BEP 19) as the swarm sees it: a peer with every piece that never chokes, never idles out, and is discarded after one bad piece.</summary>
public sealed class TorrentSwarmWebSeedTests
{
    private const string Url = "http://seed.example/files/";

    [Fact]
    public void A_web_seed_is_asked_at_once_within_its_queue_and_is_not_dropped_for_silence()
    {
        var harness = new SwarmHarness(pieceCount: 40, pieceLength: 64 * 1024, lastPieceSize: 64 * 1024);
        var link = new RecordingLink(IPAddress.None);
        SwarmPeer webSeed = harness.Swarm.AddWebSeed(link, Url)!;
        Assert.True(webSeed.IsSeed);

        // No bitfield, no unchoke: it has every piece and never chokes.
        List<BlockRef> requested = SwarmHarness.Requests(link.TakeMessages());
        Assert.Equal(SwarmSettings.Default.InitialQueueDepth, requested.Count);

        // Pieces in order, not rarest first: adjacent blocks make long HTTP ranges.
        Assert.Equal(Enumerable.Range(0, requested.Count).Select(i => harness.Block(i / 4, i % 4)), requested);

        // Fewer blocks than the torrent's 160, so that it is still wanted while the clock runs on below.
        int answered = 0;
        while (requested.Count > 0 && answered < 100)
        {
            BlockRef block = requested[0];
            requested.RemoveAt(0);
            harness.SendPiece(webSeed, block);
            answered++;
            requested.AddRange(SwarmHarness.Requests(link.TakeMessages()));
            Assert.True(requested.Count <= SwarmSettings.Default.WebSeedRequestQueue, $"{requested.Count} blocks asked of the web seed at once");
        }

        harness.CompleteChecks();
        for (int second = 0; second < 200; second++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            harness.Swarm.Tick();
        }

        Assert.False(link.IsClosed, link.CloseReason);
        PeerSnapshot snapshot = Assert.Single(harness.Swarm.GetStatus().Peers);
        Assert.Equal(Url, snapshot.WebSeed);
        Assert.True(snapshot.Downloaded > 0);
    }

    [Fact]
    public void A_piece_the_web_seed_alone_sent_that_fails_discards_it_for_good_while_a_peer_gets_a_second_chance()
    {
        var harness = new SwarmHarness(pieceCount: 8, pieceLength: 32 * 1024, lastPieceSize: 32 * 1024);
        var link = new RecordingLink(IPAddress.None);
        SwarmPeer webSeed = harness.Swarm.AddWebSeed(link, Url)!;
        List<BlockRef> requested = SwarmHarness.Requests(link.TakeMessages());
        int piece = requested[0].Piece;
        foreach (BlockRef block in requested.Where(b => b.Piece == piece))
        {
            harness.SendPiece(webSeed, block, corrupt: block.Begin == 0);
        }

        harness.CompleteChecks();
        Assert.Equal(1, harness.Swarm.HashFailures);
        Assert.True(link.IsClosed);
        Assert.Contains("discarded", link.CloseReason, StringComparison.Ordinal);
        Assert.True(harness.Swarm.IsWebSeedDiscarded(Url));
        Assert.Empty(harness.Swarm.Peers);
        Assert.Null(harness.Swarm.AddWebSeed(new RecordingLink(IPAddress.None), Url));

        // The same lone failure from a peer is one strike, not a ban.
        (SwarmPeer peer, RecordingLink peerLink) = harness.Connect(SwarmHarness.FastOnly);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);
        List<BlockRef> fromPeer = SwarmHarness.Requests(peerLink.TakeMessages());
        int peerPiece = fromPeer[0].Piece;
        foreach (BlockRef block in fromPeer.Where(b => b.Piece == peerPiece))
        {
            harness.SendPiece(peer, block, corrupt: block.Begin == 0);
        }

        harness.CompleteChecks();
        Assert.Equal(2, harness.Swarm.HashFailures);
        Assert.False(peerLink.IsClosed, peerLink.CloseReason);
    }

    [Fact]
    public void A_web_seed_whose_block_differs_from_the_one_that_verified_is_discarded_and_the_peer_cleared()
    {
        var harness = new SwarmHarness(pieceCount: 1, pieceLength: 64 * 1024, lastPieceSize: 64 * 1024);
        var link = new RecordingLink(IPAddress.None);
        SwarmPeer webSeed = harness.Swarm.AddWebSeed(link, Url)!;
        (SwarmPeer peer, RecordingLink peerLink) = harness.Connect(SwarmHarness.FastOnly);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);

        // The web seed was asked for the whole piece first; it sends two blocks, the first one bad.
        List<BlockRef> toWebSeed = SwarmHarness.Requests(link.TakeMessages());
        Assert.Equal(4, toWebSeed.Count);
        harness.SendPiece(webSeed, toWebSeed[0], corrupt: true);
        harness.SendPiece(webSeed, toWebSeed[1]);

        // Endgame hands the other two to the peer too; it answers them first.
        List<BlockRef> toPeer = SwarmHarness.Requests(peerLink.TakeMessages());
        foreach (BlockRef block in toPeer)
        {
            harness.SendPiece(peer, block);
        }

        harness.CompleteChecks();
        Assert.Equal(1, harness.Swarm.HashFailures);
        Assert.False(link.IsClosed, "a mixed piece convicts no one yet");

        // Asked of both again, the peer answers first and the piece verifies: the web seed's first block was the bad one.
        Assert.Equal(4, SwarmHarness.Requests(link.TakeMessages()).Count);
        List<BlockRef> again = SwarmHarness.Requests(peerLink.TakeMessages());
        Assert.Equal(4, again.Count);
        foreach (BlockRef block in again)
        {
            harness.SendPiece(peer, block);
        }

        harness.CompleteChecks();
        Assert.True(harness.Swarm.IsComplete);
        Assert.True(link.IsClosed);
        Assert.True(harness.Swarm.IsWebSeedDiscarded(Url));
        Assert.False(harness.Swarm.IsBanned(peer.Address, peer.PeerId.Span));
    }
}
