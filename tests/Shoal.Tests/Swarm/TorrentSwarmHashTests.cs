using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>BEP 52 hash requests served from the piece layers a v2 torrent holds, within a per-peer share.</summary>
public class TorrentSwarmHashTests
{
    private const int Block = PieceGeometry.BlockSize;
    private const int PieceCount = 20;
    private const int LastPieceSize = 20000;

    /// <summary>Pieces of two blocks: 40 blocks in a tree of 64 leaves, 6 layers; the piece layer is layer 1, 32 wide.</summary>
    private const int RootLayer = 6;
    private const int PieceLayer = 1;

    private static SwarmHarness CreateV2(Func<int, bool>? have = null) => new(
        PieceCount, 2 * Block, LastPieceSize, have ?? SwarmHarness.All,
        adjust: t => SyntheticV2.Create(t, TempFolder.RandomBytes(((PieceCount - 1) * 2 * Block) + LastPieceSize, 1)));

    private static byte[] RootOf(SwarmHarness harness) => harness.Torrent.Files[0].PiecesRoot!.Value.ToArray();

    [Fact]
    public void The_piece_layer_asked_as_libtorrent_asks_comes_back_proven_against_the_root()
    {
        SwarmHarness harness = CreateV2();
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        byte[] root = RootOf(harness);
        var request = new HashRequest(root, PieceLayer, 0, 32, RootLayer - PieceLayer - 1);

        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request));

        WireMessage answer = Assert.Single(link.TakeMessages());
        Assert.Equal(MessageId.Hashes, answer.Id);
        HashesMessage hashes = HashesMessage.Read(new(answer.Payload));
        Assert.Equal(request, hashes.Request);
        Assert.True(MerkleProof.Verify(root, RootLayer, PieceLayer, 0, 32, request.ProofLayers, hashes.Hashes.Span));
        Assert.Equal(harness.Torrent.PieceLayers[root].ToArray(), hashes.BaseHashes[..(PieceCount * 32)].ToArray());
        Assert.Equal(1, harness.Swarm.HashRequestsAnswered);
    }

    [Fact]
    public void Part_of_a_layer_comes_with_the_uncles_up_to_the_root()
    {
        SwarmHarness harness = CreateV2();
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        byte[] root = RootOf(harness);

        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, new HashRequest(root, 3, 2, 2, 2)));

        HashesMessage hashes = HashesMessage.Read(new(Assert.Single(link.TakeMessages()).Payload));
        Assert.Equal((2 + 2) * 32, hashes.Hashes.Length);
        Assert.True(MerkleProof.Verify(root, RootLayer, 3, 2, 2, 2, hashes.Hashes.Span));
    }

    public static TheoryData<string> Unanswerable => ["leaves of a piece we lack", "leaves of two pieces", "unknown root", "past the layer", "proof through the root", "malformed"];

    [Theory]
    [MemberData(nameof(Unanswerable))]
    public void What_we_cannot_answer_gets_a_hash_reject_with_the_request_in_it(string what)
    {
        SwarmHarness harness = CreateV2(piece => piece != 1);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        byte[] root = RootOf(harness);
        HashRequest request = what switch
        {
            "leaves of a piece we lack" => new HashRequest(root, 0, 2, 2, 5),
            "leaves of two pieces" => new HashRequest(root, 0, 0, 4, 5),
            "unknown root" => new HashRequest(new byte[32], PieceLayer, 0, 32, 4),
            "past the layer" => new HashRequest(root, PieceLayer, 32, 32, 4),
            "proof through the root" => new HashRequest(root, PieceLayer, 0, 32, 5),
            _ => new HashRequest(root, PieceLayer, 1, 3, 4),
        };

        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request));

        WireMessage answer = Assert.Single(link.TakeMessages());
        Assert.Equal(MessageId.HashReject, answer.Id);
        Assert.Equal(request, HashRequest.Read(new(answer.Payload)));
        Assert.Equal((0, 1), (harness.Swarm.HashRequestsAnswered, harness.Swarm.HashRequestsRejected));
        Assert.False(link.IsClosed);
    }

    [Theory]
    [InlineData(0, 2, RootLayer - 1)]   // a whole piece's leaves, proven to the root, as libtorrent asks after a failure
    [InlineData(38, 2, 0)]              // the last piece: one block of data, one zero leaf past the file
    [InlineData(7, 1, RootLayer - 1)]   // one leaf, its sibling in the piece the first uncle
    public void Leaves_of_a_piece_we_have_are_hashed_from_its_data_then_proven(int index, int length, int proofLayers)
    {
        SwarmHarness harness = CreateV2();
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        byte[] root = RootOf(harness);
        var request = new HashRequest(root, 0, index, length, proofLayers);

        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request));
        Assert.Empty(link.TakeMessages());
        Assert.Equal([index / 2], harness.PendingBlockHashes);
        harness.CompleteBlockHashes();

        HashesMessage hashes = HashesMessage.Read(new(Assert.Single(link.TakeMessages()).Payload));
        var tree = new MerkleLayers(SyntheticV2.Leaves(harness.Content), 0, harness.Content.Length);
        Assert.True(tree.TryGetHashes(0, index, length, proofLayers, out byte[] expected));
        Assert.Equal(expected, hashes.Hashes.ToArray());
        if (proofLayers == RootLayer - 1)
        {
            Assert.True(MerkleProof.Verify(root, RootLayer, 0, index, length, proofLayers, hashes.Hashes.Span));
        }

        // The piece's leaves are kept a while: asked again, they are answered at once.
        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request));
        Assert.Equal(MessageId.Hashes, Assert.Single(link.TakeMessages()).Id);
        Assert.Empty(harness.PendingBlockHashes);
    }

    [Fact]
    public void A_peer_may_have_two_leaf_requests_waiting_and_the_rest_are_rejected()
    {
        SwarmHarness harness = CreateV2();
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        byte[] root = RootOf(harness);

        harness.Send(peer, o =>
        {
            for (int piece = 0; piece < 3; piece++)
            {
                PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, new HashRequest(root, 0, 2 * piece, 2, 0));
            }
        });

        Assert.Equal(MessageId.HashReject, Assert.Single(link.TakeMessages()).Id);
        Assert.Equal([0, 1], harness.PendingBlockHashes);
        harness.CompleteBlockHashes();
        Assert.All(link.TakeMessages(), m => Assert.Equal(MessageId.Hashes, m.Id));
    }

    [Fact]
    public void A_v1_torrent_rejects_every_hash_request()
    {
        var harness = new SwarmHarness(PieceCount, 2 * Block, LastPieceSize, SwarmHarness.All);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        link.TakeMessages();

        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, new HashRequest(new byte[32], 1, 0, 2, 0)));

        Assert.Equal(MessageId.HashReject, Assert.Single(link.TakeMessages()).Id);
    }

    [Fact]
    public void A_peer_asking_too_much_in_a_second_is_rejected_until_the_next_tick()
    {
        SwarmHarness harness = CreateV2();
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal.WithV2(true));
        link.TakeMessages();
        var request = new HashRequest(RootOf(harness), PieceLayer, 0, 32, 4);
        int allowed = TorrentSwarm.HashesPerPeerPerSecond / 32;

        harness.Send(peer, o =>
        {
            for (int i = 0; i < allowed + 10; i++)
            {
                PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request);
            }
        });

        List<WireMessage> answers = link.TakeMessages();
        Assert.Equal(allowed, answers.Count(m => m.Id == MessageId.Hashes));
        Assert.Equal(10, answers.Count(m => m.Id == MessageId.HashReject));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Swarm.Tick();
        link.TakeMessages();
        harness.Send(peer, o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashRequest, request));
        Assert.Equal(MessageId.Hashes, Assert.Single(link.TakeMessages()).Id);
    }
}
