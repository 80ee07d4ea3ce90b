using System.Buffers;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>Piece layers of a v2-only torrent fetched by BEP 52 hash requests, each answer proven against its file's root.</summary>
public class PieceLayerFetcherTests
{
    private const int Block = PieceGeometry.BlockSize;

    /// <summary>Pieces of one block, so that one file of 700 pieces takes two requests: 512 hashes, then 256 for the 188 left.</summary>
    private const int PieceCount = 700;

    private static (Torrent Torrent, MerkleLayers Tree) CreateV2(int pieceCount = PieceCount, int lastPieceSize = 1234)
    {
        byte[] content = TempFolder.RandomBytes(((pieceCount - 1) * Block) + lastPieceSize, 7);
        Torrent torrent = SyntheticV2.Create(SyntheticTorrent.Create(content, Block), content);
        return (torrent, new MerkleLayers(SyntheticV2.Leaves(content), 0, content.Length));
    }

    /// <summary>Our messages to the peer, decoded.</summary>
    private static List<WireMessage> Sent(ArrayBufferWriter<byte> output)
    {
        List<WireMessage> messages = WireMessage.DecodeAll(output.WrittenMemory);
        output.ResetWrittenCount();
        return messages;
    }

    /// <summary>A hashes message answering <paramref name="request"/> from the real tree, with one byte changed when <paramref name="corrupt"/>.</summary>
    private static PeerMessage Answer(MerkleLayers tree, HashRequest request, bool corrupt = false)
    {
        Assert.True(tree.TryGetHashes(request.BaseLayer, request.Index, request.Length, request.ProofLayers, out byte[] hashes));
        if (corrupt)
        {
            hashes[^1] ^= 1;
        }

        return Decode(o => PeerMessageWriter.WriteHashes(o, request, hashes));
    }

    private static PeerMessage Decode(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var sequence = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(new PeerMessageReader().TryRead(ref sequence, out PeerMessage message));
        return message;
    }

    private static HashRequest RequestOf(WireMessage message)
    {
        Assert.Equal(MessageId.HashRequest, message.Id);
        return HashRequest.Read(new ReadOnlySequence<byte>(message.Payload));
    }

    [Fact]
    public void The_layer_is_asked_in_chunks_of_512_as_libtorrent_asks_and_assembled_from_proven_answers()
    {
        (Torrent torrent, MerkleLayers tree) = CreateV2();
        var fetcher = new PieceLayerFetcher(torrent);
        var source = new PieceLayerSource(supportsV2: true);
        var output = new ArrayBufferWriter<byte>();
        byte[] root = tree.Root.ToArray();

        Assert.Equal(MetadataProgress.Pending, fetcher.Request(source, output));
        HashRequest[] requests = [.. Sent(output).Select(RequestOf)];

        // 700 blocks: a tree of 1024 leaves, 10 layers; proofs reach layer 9, just below the root.
        Assert.Equal([new HashRequest(root, 0, 0, 512, 9), new HashRequest(root, 0, 512, 256, 9)], requests);
        Assert.Equal(MetadataProgress.Pending, fetcher.OnMessage(source, Answer(tree, requests[1]), output));
        Assert.False(fetcher.IsComplete);
        Assert.Empty(Sent(output));
        Assert.Equal(MetadataProgress.Complete, fetcher.OnMessage(source, Answer(tree, requests[0]), output));

        Assert.True(fetcher.IsComplete);
        Assert.Equal((2, 2), (fetcher.RequestsSent, fetcher.AnswersVerified));
        Assert.Equal(torrent.PieceLayers[root].ToArray(), fetcher.PieceLayers[root].ToArray());
    }

    [Fact]
    public void A_corrupt_answer_convicts_its_sender_and_the_chunk_goes_to_another_peer()
    {
        (Torrent torrent, MerkleLayers tree) = CreateV2(pieceCount: 100);
        var fetcher = new PieceLayerFetcher(torrent);
        var liar = new PieceLayerSource(true);
        var honest = new PieceLayerSource(true);
        var output = new ArrayBufferWriter<byte>();

        fetcher.Request(liar, output);
        HashRequest request = RequestOf(Assert.Single(Sent(output)));
        fetcher.Request(honest, output);
        Assert.Empty(Sent(output));

        Assert.Equal(MetadataProgress.Corrupt, fetcher.OnMessage(liar, Answer(tree, request, corrupt: true), output));
        PieceLayerFetcher.OnClosed(liar);
        fetcher.Request(honest, output);
        Assert.Equal(request, RequestOf(Assert.Single(Sent(output))));
        Assert.Equal(MetadataProgress.Complete, fetcher.OnMessage(honest, Answer(tree, request), output));
        Assert.Equal(torrent.PieceLayers.Single().Value.ToArray(), fetcher.PieceLayers.Single().Value.ToArray());
    }

    [Fact]
    public void A_peer_that_rejects_is_refused_and_a_closed_peers_chunks_are_asked_again()
    {
        (Torrent torrent, MerkleLayers tree) = CreateV2();
        var fetcher = new PieceLayerFetcher(torrent);
        var rejecting = new PieceLayerSource(true);
        var leaving = new PieceLayerSource(true);
        var seed = new PieceLayerSource(true);
        var output = new ArrayBufferWriter<byte>();

        fetcher.Request(rejecting, output);
        HashRequest first = RequestOf(Sent(output)[0]);
        Assert.Equal(MetadataProgress.Refused, fetcher.OnMessage(rejecting, Decode(o => PeerMessageWriter.WriteHashRequest(o, MessageId.HashReject, first)), output));
        PieceLayerFetcher.OnClosed(rejecting);
        fetcher.Request(leaving, output);
        Assert.Equal(2, Sent(output).Count);
        PieceLayerFetcher.OnClosed(leaving);

        fetcher.Request(seed, output);
        foreach (HashRequest request in Sent(output).Select(RequestOf).ToList())
        {
            fetcher.OnMessage(seed, Answer(tree, request), output);
        }

        Assert.True(fetcher.IsComplete);
    }

    [Fact]
    public void Answers_to_nothing_asked_are_dropped_and_peers_without_v2_are_refused()
    {
        (Torrent torrent, MerkleLayers tree) = CreateV2();
        var fetcher = new PieceLayerFetcher(torrent);
        var output = new ArrayBufferWriter<byte>();
        var stranger = new PieceLayerSource(true);
        HashRequest unasked = new(tree.Root.ToArray(), 0, 0, 512, 9);

        Assert.Equal(MetadataProgress.Pending, fetcher.OnMessage(stranger, Answer(tree, unasked), output));
        Assert.Equal(0, fetcher.AnswersVerified);
        Assert.Equal(MetadataProgress.Refused, fetcher.Request(new PieceLayerSource(supportsV2: false), new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Only_v2_torrents_with_a_file_larger_than_a_piece_need_layers()
    {
        Assert.True(PieceLayerFetcher.IsNeeded(CreateV2().Torrent));
        Assert.False(PieceLayerFetcher.IsNeeded(CreateV2(pieceCount: 1).Torrent));
        Assert.False(PieceLayerFetcher.IsNeeded(SyntheticTorrent.Create(new byte[3 * Block], Block)));
    }
}
