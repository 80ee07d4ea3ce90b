using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>What the swarm writes to a peer in answer to what it reads, message by message, over a recording link.</summary>
public class TorrentSwarmProtocolTests
{
    private const int Block = PieceGeometry.BlockSize;
    private const int PieceCount = 20;
    private const int LastPieceSize = 20000;
    private static readonly SwarmSettings Settings = new() { ListenPort = 6881 };

    private static SwarmHarness Create(Func<int, bool>? have = null, SwarmSettings? settings = null) =>
        new(PieceCount, 2 * Block, LastPieceSize, have, settings ?? Settings);

    private static Func<int, bool> Even => piece => piece % 2 == 0;

    private static List<BlockRef> Sorted(IEnumerable<BlockRef> blocks) => [.. blocks.OrderBy(b => (b.Piece, b.Begin))];

    private static void SendBitfield(SwarmHarness harness, SwarmPeer peer, Func<int, bool> pieces)
    {
        var bitfield = new PieceSet(PieceCount);
        for (int i = 0; i < PieceCount; i++)
        {
            if (pieces(i))
            {
                bitfield.Set(i);
            }
        }

        harness.Send(peer, o => PeerMessageWriter.WriteBitfield(o, bitfield.AsSpan()));
    }

    /// <summary>A peer that wants our pieces and that we have unchoked.</summary>
    private static (SwarmPeer Peer, RecordingLink Link) Unchoked(SwarmHarness harness, ReservedBits reserved, int maxQueuedBlocks = int.MaxValue)
    {
        (SwarmPeer peer, RecordingLink link) = harness.Connect(reserved, maxQueuedBlocks: maxQueuedBlocks);
        harness.Send(peer, MessageId.Interested);
        Assert.False(peer.AmChoking);
        link.TakeMessages();
        return (peer, link);
    }

    private static void AssertProtocolError(ReservedBits reserved, Action<IBufferWriter<byte>> write, Func<int, bool>? have = null)
    {
        SwarmHarness harness = Create(have ?? Even);
        (SwarmPeer peer, _) = harness.Connect(reserved);
        Assert.Throws<PeerProtocolException>(() => harness.Send(peer, write));
    }

    [Theory]
    [InlineData("all", MessageId.HaveAll)]
    [InlineData("none", MessageId.HaveNone)]
    [InlineData("even", MessageId.Bitfield)]
    public void A_fast_peer_gets_our_extension_handshake_then_have_all_have_none_or_a_bitfield(string pieces, MessageId expected)
    {
        Func<int, bool> have = pieces switch { "all" => SwarmHarness.All, "none" => _ => false, _ => Even };
        SwarmHarness harness = Create(have);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal, IPAddress.Parse("80.4.4.200"));
        List<WireMessage> messages = link.TakeMessages();

        Assert.True(link.Flushes > 0);
        WireMessage extended = messages[0];
        Assert.Equal((MessageId.Extended, (byte)0), (extended.Id, extended.ExtendedId));
        ExtensionHandshake handshake = ExtensionHandshake.Parse(extended.Payload);
        Assert.Equal(Settings.MaxIncomingRequests, handshake.RequestQueueDepth);
        Assert.Equal(ShoalVersion.CreatedBy, handshake.Client);
        Assert.Equal((ushort)6881, handshake.ListenPort);
        Assert.Equal(IPAddress.Parse("80.4.4.200"), handshake.YourIp);

        Assert.Equal(expected, messages[1].Id);
        if (expected == MessageId.Bitfield)
        {
            Assert.Equal(harness.Swarm.Have.AsSpan().ToArray(), messages[1].Payload);
        }

        // Then BEP 6's allowed-fast set, the pieces of it we have.
        IReadOnlyList<int> allowed = AllowedFastSet.Compute(peer.Address, harness.Torrent.InfoHashes.ForWire, PieceCount, Settings.AllowedFastCount);
        int[] expectedAllowed = pieces == "none" ? [] : [.. allowed.Where(have)];
        Assert.All(messages[2..], m => Assert.Equal(MessageId.AllowedFast, m.Id));
        Assert.Equal(expectedAllowed, messages[2..].Select(m => m.Index));
    }

    // Found while looking into SeederSoakTests' memory: a seeder kept an entry for every connection it ever closed, one per downloader's peer id.
    [Fact]
    public void Closed_connections_that_gave_nothing_leave_nothing_behind()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        for (int i = 0; i < 1000; i++)
        {
            (SwarmPeer peer, _) = harness.Connect(ReservedBits.Shoal);
            harness.Swarm.OnClosed(peer);
        }

        Assert.Empty(harness.Swarm.GetStatus().DownloadedByPeerId);
    }

    [Fact]
    public void Payload_is_counted_by_the_kind_of_connection_it_came_over_open_or_closed()
    {
        var harness = new SwarmHarness(pieceCount: 8, pieceLength: 2 * Block, lastPieceSize: 2 * Block);
        (SwarmPeer overUtp, RecordingLink utpLink) = harness.Connect(ReservedBits.Shoal, transport: PeerTransport.Utp, encrypted: true);
        (SwarmPeer overTcp, RecordingLink tcpLink) = harness.Connect(ReservedBits.Shoal);
        foreach ((SwarmPeer peer, RecordingLink link) in new[] { (overUtp, utpLink), (overTcp, tcpLink) })
        {
            harness.Send(peer, MessageId.HaveAll);
            harness.Send(peer, MessageId.Unchoke);
            harness.SendPiece(peer, SwarmHarness.Requests(link.TakeMessages())[0]);
        }

        harness.Swarm.OnClosed(overUtp);

        IReadOnlyDictionary<ConnectionKind, long> byKind = harness.Swarm.GetStatus().DownloadedByConnectionKind;
        Assert.Equal(Block, byKind[new ConnectionKind(PeerTransport.Utp, Encrypted: true)]);
        Assert.Equal(Block, byKind[new ConnectionKind(PeerTransport.Tcp, Encrypted: false)]);
        Assert.Equal(2, byKind.Count);
    }

    [Fact]
    public void Yourip_is_the_ipv4_form_of_an_ipv4_mapped_peer_address()
    {
        SwarmHarness harness = Create();
        (_, RecordingLink link) = harness.Connect(ReservedBits.Shoal, IPAddress.Parse("::ffff:192.0.2.7"));

        ExtensionHandshake handshake = ExtensionHandshake.Parse(link.TakeMessages()[0].Payload);

        Assert.Equal(IPAddress.Parse("192.0.2.7"), handshake.YourIp);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("even")]
    public void A_peer_without_the_fast_extension_gets_a_bitfield_and_no_allowed_fast_pieces(string pieces)
    {
        SwarmHarness harness = Create(pieces == "all" ? SwarmHarness.All : Even);
        (_, RecordingLink plain) = harness.Connect(SwarmHarness.Plain);
        (_, RecordingLink extensionsOnly) = harness.Connect(new ReservedBits(1UL << 20));

        WireMessage bitfield = Assert.Single(plain.TakeMessages());
        Assert.Equal(MessageId.Bitfield, bitfield.Id);
        Assert.Equal(harness.Swarm.Have.AsSpan().ToArray(), bitfield.Payload);
        Assert.Equal([MessageId.Extended, MessageId.Bitfield], extensionsOnly.TakeMessages().Select(m => m.Id));
    }

    [Fact]
    public void A_peer_without_the_fast_extension_hears_nothing_from_a_swarm_that_has_nothing()
    {
        SwarmHarness harness = Create(_ => false);
        (_, RecordingLink plain) = harness.Connect(SwarmHarness.Plain);
        (_, RecordingLink fastOnly) = harness.Connect(SwarmHarness.FastOnly);

        Assert.Empty(plain.TakeMessages());
        Assert.Equal([MessageId.HaveNone], fastOnly.TakeMessages().Select(m => m.Id));
    }

    [Fact]
    public void A_request_while_choked_is_rejected_for_a_fast_peer_and_ignored_otherwise()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer fast, RecordingLink fastLink) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer plain, RecordingLink plainLink) = harness.Connect(SwarmHarness.Plain);
        fastLink.TakeMessages();
        plainLink.TakeMessages();
        int notAllowed = Enumerable.Range(0, PieceCount).First(p => !fast.AllowedFastForPeer.Contains(p));
        BlockRef block = harness.Block(notAllowed, 1);

        harness.SendBlockReference(fast, MessageId.Request, block);
        harness.SendBlockReference(plain, MessageId.Request, block);

        WireMessage reject = Assert.Single(fastLink.TakeMessages());
        Assert.Equal((MessageId.RejectRequest, block.Piece, block.Begin, block.Length), (reject.Id, reject.Index, reject.Begin, reject.Length));
        Assert.Empty(plainLink.TakeMessages());
        Assert.Empty(fastLink.AcceptedBlocks);
        Assert.Empty(plainLink.AcceptedBlocks);
        Assert.Equal(0, harness.Swarm.Uploaded);
    }

    [Fact]
    public void A_request_for_an_allowed_fast_piece_is_served_while_choked()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        int allowed = link.TakeMessages().First(m => m.Id == MessageId.AllowedFast).Index;
        BlockRef block = harness.Block(allowed, 0);

        harness.SendBlockReference(peer, MessageId.Request, block);

        Assert.True(peer.AmChoking);
        Assert.Equal([block], link.QueuedBlocks);
        Assert.DoesNotContain(link.TakeMessages(), m => m.Id == MessageId.RejectRequest);
        Assert.Equal(block.Length, harness.Swarm.Uploaded);
        Assert.Equal(block.Length, peer.Uploaded);
    }

    [Fact]
    public void A_request_for_a_piece_we_do_not_have_is_rejected_even_when_unchoked()
    {
        SwarmHarness harness = Create(piece => piece != 3);
        (SwarmPeer fast, RecordingLink fastLink) = Unchoked(harness, ReservedBits.Shoal);
        (SwarmPeer plain, RecordingLink plainLink) = Unchoked(harness, SwarmHarness.Plain);
        BlockRef missing = harness.Block(3, 0);

        harness.SendBlockReference(fast, MessageId.Request, missing);
        harness.SendBlockReference(plain, MessageId.Request, missing);

        Assert.Equal([MessageId.RejectRequest], fastLink.TakeMessages().Select(m => m.Id));
        Assert.Empty(plainLink.TakeMessages());
        Assert.Empty(fastLink.AcceptedBlocks);
        Assert.Empty(plainLink.AcceptedBlocks);

        // A piece we have is served, the short last block of the last piece too.
        BlockRef last = harness.Block(PieceCount - 1, 1);
        Assert.Equal(LastPieceSize - Block, last.Length);
        harness.SendBlockReference(fast, MessageId.Request, harness.Block(2, 1));
        harness.SendBlockReference(plain, MessageId.Request, last);
        Assert.Equal([harness.Block(2, 1)], fastLink.QueuedBlocks);
        Assert.Equal([last], plainLink.QueuedBlocks);
    }

    [Fact]
    public void A_request_the_link_cannot_queue_is_rejected_for_a_fast_peer()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer peer, RecordingLink link) = Unchoked(harness, ReservedBits.Shoal, maxQueuedBlocks: 1);

        harness.SendBlockReference(peer, MessageId.Request, harness.Block(0, 0));
        harness.SendBlockReference(peer, MessageId.Request, harness.Block(0, 1));

        Assert.Equal([harness.Block(0, 0)], link.QueuedBlocks);
        WireMessage reject = Assert.Single(link.TakeMessages());
        Assert.Equal((MessageId.RejectRequest, 0, Block), (reject.Id, reject.Index, reject.Begin));
        Assert.Equal(Block, harness.Swarm.Uploaded);
    }

    [Fact]
    public void An_interested_peer_is_unchoked_at_once_while_slots_are_free()
    {
        var settings = Settings with { Choker = new ChokerSettings { RegularSlots = 1, OptimisticSlots = 1 } };
        SwarmHarness harness = Create(SwarmHarness.All, settings);
        (SwarmPeer a, RecordingLink linkA) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer b, RecordingLink linkB) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer c, RecordingLink linkC) = harness.Connect(ReservedBits.Shoal);
        linkA.TakeMessages();
        linkB.TakeMessages();
        linkC.TakeMessages();

        harness.Send(a, MessageId.Interested);
        harness.Send(b, MessageId.Interested);
        harness.Send(c, MessageId.Interested);

        Assert.Equal([MessageId.Unchoke], linkA.TakeMessages().Select(m => m.Id));
        Assert.Equal([MessageId.Unchoke], linkB.TakeMessages().Select(m => m.Id));
        Assert.Empty(linkC.TakeMessages());
        Assert.True(c.AmChoking);

        // A losing interest frees its slot: we choke it and unchoke the peer that was waiting.
        harness.Send(a, MessageId.NotInterested);
        Assert.Equal([MessageId.Choke], linkA.TakeMessages().Select(m => m.Id));
        Assert.Equal([MessageId.Unchoke], linkC.TakeMessages().Select(m => m.Id));
        Assert.False(c.AmChoking);
    }

    [Fact]
    public void Choking_a_peer_takes_back_its_queued_blocks_and_rejects_them_for_a_fast_peer()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer peer, RecordingLink link) = Unchoked(harness, ReservedBits.Shoal);
        harness.SendBlockReference(peer, MessageId.Request, harness.Block(0, 0));
        harness.SendBlockReference(peer, MessageId.Request, harness.Block(1, 0));
        Assert.Equal(2 * Block, harness.Swarm.Uploaded);

        harness.Send(peer, MessageId.NotInterested);

        Assert.Empty(link.QueuedBlocks);
        Assert.Equal(0, harness.Swarm.Uploaded);
        Assert.Equal([MessageId.Choke, MessageId.RejectRequest, MessageId.RejectRequest], link.TakeMessages().Select(m => m.Id));
    }

    [Fact]
    public void Requests_outside_the_torrent_or_the_piece_are_protocol_errors()
    {
        BlockRef[] bad =
        [
            new(PieceCount, 0, Block),
            new(int.MaxValue, 0, Block),
            new(0, Block, Block + 1),
            new(0, 2 * Block, 1),
            new(0, int.MaxValue, 1),
            new(PieceCount - 1, Block, LastPieceSize - Block + 1),
            new(0, 0, 0),
            new(0, 0, (128 * 1024) + 1),
        ];
        foreach (BlockRef block in bad)
        {
            foreach (MessageId id in new[] { MessageId.Request, MessageId.Cancel, MessageId.RejectRequest })
            {
                AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteBlockReference(o, id, block.Piece, block.Begin, block.Length));
            }
        }
    }

    [Fact]
    public void A_have_with_an_index_outside_the_torrent_is_a_protocol_error()
    {
        foreach (int index in new[] { PieceCount, PieceCount + 1, int.MaxValue })
        {
            AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteIndex(o, MessageId.Have, index));
            AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteIndex(o, MessageId.AllowedFast, index));
            AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteIndex(o, MessageId.SuggestPiece, index));
        }
    }

    [Theory]
    [InlineData(0, 0, Block + 1)]
    [InlineData(0, 0, 0)]
    [InlineData(0, Block, Block + 1)]
    [InlineData(0, 2 * Block, 1)]
    [InlineData(PieceCount - 1, Block, LastPieceSize - Block + 1)]
    [InlineData(PieceCount, 0, Block)]
    public void A_piece_message_whose_block_does_not_fit_is_a_protocol_error(int piece, int begin, int length) =>
        AssertProtocolError(ReservedBits.Shoal, o =>
        {
            PeerMessageWriter.WritePieceHeader(o, piece, begin, length);
            o.Write(new byte[length]);
        });

    [Theory]
    [InlineData(MessageId.HaveAll)]
    [InlineData(MessageId.HaveNone)]
    public void Have_all_or_have_none_without_the_fast_extension_is_a_protocol_error(MessageId id)
    {
        AssertProtocolError(SwarmHarness.Plain, o => PeerMessageWriter.WriteSimple(o, id));
        AssertProtocolError(new ReservedBits(1UL << 20), o => PeerMessageWriter.WriteSimple(o, id));
    }

    [Fact]
    public void Other_fast_extension_messages_without_the_fast_extension_are_protocol_errors()
    {
        AssertProtocolError(SwarmHarness.Plain, o => PeerMessageWriter.WriteBlockReference(o, MessageId.RejectRequest, 0, 0, Block));
        AssertProtocolError(SwarmHarness.Plain, o => PeerMessageWriter.WriteIndex(o, MessageId.AllowedFast, 0));
        AssertProtocolError(SwarmHarness.Plain, o => PeerMessageWriter.WriteIndex(o, MessageId.SuggestPiece, 0));
    }

    [Fact]
    public void Malformed_bitfields_and_extension_handshakes_are_protocol_errors()
    {
        AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteBitfield(o, new byte[2]));
        AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteBitfield(o, new byte[4]));
        AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteBitfield(o, [0xFF, 0xFF, 0xF8]));
        AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteExtended(o, 0, "d1:v"u8));
        AssertProtocolError(ReservedBits.Shoal, o => PeerMessageWriter.WriteExtended(o, 0, "le"u8));
    }

    [Fact]
    public void A_cancel_takes_back_a_queued_block_and_a_fast_peer_gets_a_reject()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer fast, RecordingLink fastLink) = Unchoked(harness, ReservedBits.Shoal);
        (SwarmPeer plain, RecordingLink plainLink) = Unchoked(harness, SwarmHarness.Plain);
        BlockRef block = harness.Block(4, 1);
        harness.SendBlockReference(fast, MessageId.Request, block);
        harness.SendBlockReference(plain, MessageId.Request, block);
        Assert.Equal(2 * Block, harness.Swarm.Uploaded);

        harness.SendBlockReference(fast, MessageId.Cancel, block);
        harness.SendBlockReference(plain, MessageId.Cancel, block);

        Assert.Equal([block], fastLink.CancelledBlocks);
        Assert.Equal([block], plainLink.CancelledBlocks);
        Assert.Empty(fastLink.QueuedBlocks);
        Assert.Empty(plainLink.QueuedBlocks);
        WireMessage reject = Assert.Single(fastLink.TakeMessages());
        Assert.Equal((MessageId.RejectRequest, block.Piece, block.Begin, block.Length), (reject.Id, reject.Index, reject.Begin, reject.Length));
        Assert.Empty(plainLink.TakeMessages());
        Assert.Equal(0, harness.Swarm.Uploaded);
        Assert.Equal(0, fast.Uploaded);
    }

    [Fact]
    public void A_cancel_for_a_block_already_sent_changes_nothing()
    {
        SwarmHarness harness = Create(SwarmHarness.All);
        (SwarmPeer peer, RecordingLink link) = Unchoked(harness, ReservedBits.Shoal);
        BlockRef block = harness.Block(4, 1);
        harness.SendBlockReference(peer, MessageId.Request, block);
        link.QueuedBlocks.Clear();

        harness.SendBlockReference(peer, MessageId.Cancel, block);

        Assert.Empty(link.TakeMessages());
        Assert.Equal(Block, harness.Swarm.Uploaded);
    }

    [Fact]
    public void A_bep_3_choke_releases_our_requests_to_be_asked_of_another_peer()
    {
        var settings = Settings with { InitialQueueDepth = 64, EndgameDuplicates = 1 };
        SwarmHarness harness = Create(_ => false, settings);
        (SwarmPeer a, RecordingLink linkA) = harness.Connect(SwarmHarness.Plain);
        (SwarmPeer b, RecordingLink linkB) = harness.Connect(SwarmHarness.Plain);
        SendBitfield(harness, a, SwarmHarness.All);
        SendBitfield(harness, b, SwarmHarness.All);
        harness.Send(a, MessageId.Unchoke);
        List<BlockRef> fromA = SwarmHarness.Requests(linkA.TakeMessages());
        Assert.Equal(2 * PieceCount, fromA.Count);
        harness.Send(b, MessageId.Unchoke);
        Assert.Empty(SwarmHarness.Requests(linkB.TakeMessages()));

        harness.Send(a, MessageId.Choke);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Swarm.Tick();

        List<BlockRef> fromB = SwarmHarness.Requests(linkB.TakeMessages());
        Assert.Equal(Sorted(fromA), Sorted(fromB));
        Assert.Empty(SwarmHarness.Requests(linkA.TakeMessages()));

        // A block A sends anyway is kept, and B is told not to send it.
        harness.SendPiece(a, fromA[0]);
        Assert.Equal(fromA[0].Length, harness.Swarm.Downloaded);
        WireMessage cancel = Assert.Single(linkB.TakeMessages());
        Assert.Equal((MessageId.Cancel, fromA[0].Piece, fromA[0].Begin), (cancel.Id, cancel.Index, cancel.Begin));
    }

    [Fact]
    public void A_fast_peer_choke_keeps_our_requests_until_it_rejects_them()
    {
        var settings = Settings with { InitialQueueDepth = 64, EndgameDuplicates = 1 };
        SwarmHarness harness = Create(_ => false, settings);
        (SwarmPeer a, RecordingLink linkA) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer b, RecordingLink linkB) = harness.Connect(ReservedBits.Shoal);
        harness.Send(a, MessageId.HaveAll);
        harness.Send(b, MessageId.HaveAll);
        harness.Send(a, MessageId.Unchoke);
        harness.Send(b, MessageId.Unchoke);
        List<BlockRef> fromA = SwarmHarness.Requests(linkA.TakeMessages());
        linkB.TakeMessages();

        harness.Send(a, MessageId.Choke);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Swarm.Tick();
        Assert.Empty(SwarmHarness.Requests(linkB.TakeMessages()));

        foreach (BlockRef block in fromA.Take(5))
        {
            harness.SendBlockReference(a, MessageId.RejectRequest, block);
        }

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Swarm.Tick();
        Assert.Equal(Sorted(fromA.Take(5)), Sorted(SwarmHarness.Requests(linkB.TakeMessages())));
        Assert.Empty(SwarmHarness.Requests(linkA.TakeMessages()));
    }

    [Fact]
    public void The_peer_reqq_bounds_our_pipeline_to_it()
    {
        SwarmHarness harness = Create(_ => false);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, 0, new ExtensionHandshake { RequestQueueDepth = 3, Client = "Other/1.0" }.Encode()));
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);

        Assert.Equal(3, SwarmHarness.Requests(link.TakeMessages()).Count);
        Assert.Equal("Other/1.0", peer.Client);
    }

    [Fact]
    public void A_have_for_a_piece_we_lack_makes_us_interested_and_a_seed_meeting_a_seed_is_dropped()
    {
        SwarmHarness harness = Create(Even);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        link.TakeMessages();

        harness.Send(peer, o => PeerMessageWriter.WriteIndex(o, MessageId.Have, 2));
        Assert.Empty(link.TakeMessages());
        harness.Send(peer, o => PeerMessageWriter.WriteIndex(o, MessageId.Have, 3));
        Assert.Equal([MessageId.Interested], link.TakeMessages().Select(m => m.Id));

        SwarmHarness seed = Create(SwarmHarness.All);
        (SwarmPeer other, RecordingLink otherLink) = seed.Connect(ReservedBits.Shoal);
        seed.Send(other, MessageId.HaveAll);
        Assert.True(otherLink.IsClosed);
        Assert.Empty(seed.Swarm.Peers);
    }

    [Fact]
    public void A_downloaded_piece_is_checked_then_announced_to_peers_that_lack_it()
    {
        SwarmHarness harness = Create(_ => false);
        (SwarmPeer seeder, RecordingLink seederLink) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer leecher, RecordingLink leecherLink) = harness.Connect(ReservedBits.Shoal);
        harness.Send(seeder, MessageId.HaveAll);
        harness.Send(seeder, MessageId.Unchoke);
        leecherLink.TakeMessages();
        int index = SwarmHarness.Requests(seederLink.TakeMessages())[0].Piece;
        foreach (BlockRef block in new[] { harness.Block(index, 0), harness.Block(index, 1) })
        {
            harness.SendPiece(seeder, block);
        }

        Assert.Equal(index, Assert.Single(harness.PendingChecks).Piece);
        harness.CompleteChecks();

        Assert.True(harness.Swarm.Have[index]);
        WireMessage have = Assert.Single(leecherLink.TakeMessages(), m => m.Id == MessageId.Have);
        Assert.Equal(index, have.Index);
        Assert.DoesNotContain(seederLink.TakeMessages(), m => m.Id == MessageId.Have);
        harness.Swarm.Close();
        harness.Pool.AssertAllReturned();
    }

    [Fact]
    public void A_have_goes_at_once_to_a_peer_we_unchoke_and_may_wait_for_one_we_choke()
    {
        SwarmHarness harness = Create(_ => false);
        (SwarmPeer seeder, RecordingLink seederLink) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer unchoked, RecordingLink unchokedLink) = harness.Connect(ReservedBits.Shoal);
        (SwarmPeer choked, RecordingLink chokedLink) = harness.Connect(ReservedBits.Shoal);
        harness.Send(unchoked, MessageId.Interested);
        Assert.False(unchoked.AmChoking);
        Assert.True(choked.AmChoking);
        harness.Send(seeder, MessageId.HaveAll);
        harness.Send(seeder, MessageId.Unchoke);
        int index = SwarmHarness.Requests(seederLink.TakeMessages())[0].Piece;
        harness.SendPiece(seeder, harness.Block(index, 0));
        harness.SendPiece(seeder, harness.Block(index, 1));
        (int urgent, int soon) = (chokedLink.Flushes, chokedLink.SoonFlushes);
        int unchokedSoon = unchokedLink.SoonFlushes;

        harness.CompleteChecks();

        Assert.Single(unchokedLink.TakeMessages(), m => m.Id == MessageId.Have && m.Index == index);
        Assert.Single(chokedLink.TakeMessages(), m => m.Id == MessageId.Have && m.Index == index);
        Assert.Equal(unchokedSoon, unchokedLink.SoonFlushes);
        Assert.Equal((urgent, soon + 1), (chokedLink.Flushes, chokedLink.SoonFlushes));
        harness.Swarm.Close();
        harness.Pool.AssertAllReturned();
    }

    // Only HAVE to a peer we choke may wait: a block asked for leaves at once (when it waited with the HAVEs, an uncapped
    // 1 GiB transfer ran one request pipeline per 250 ms, 1.5 MiB/s), and so do our requests to a seeder we choke.
    [Fact]
    public void A_requested_block_leaves_at_once()
    {
        SwarmHarness harness = Create(_ => true);
        (SwarmPeer leecher, RecordingLink leecherLink) = harness.Connect(ReservedBits.Shoal);
        harness.Send(leecher, MessageId.Interested);
        Assert.False(leecher.AmChoking);
        (int urgent, int soon) = (leecherLink.Flushes, leecherLink.SoonFlushes);

        harness.SendBlockReference(leecher, MessageId.Request, harness.Block(0, 0));

        Assert.Single(leecherLink.QueuedBlocks);
        Assert.Equal((urgent + 1, soon), (leecherLink.Flushes, leecherLink.SoonFlushes));
        harness.Swarm.Close();
        harness.Pool.AssertAllReturned();
    }

    [Fact]
    public void Our_requests_leave_at_once_to_a_seeder_we_choke()
    {
        SwarmHarness harness = Create(_ => false);
        (SwarmPeer seeder, RecordingLink seederLink) = harness.Connect(ReservedBits.Shoal);
        harness.Send(seeder, MessageId.HaveAll);
        (int urgent, int soon) = (seederLink.Flushes, seederLink.SoonFlushes);

        harness.Send(seeder, MessageId.Unchoke);

        Assert.True(seeder.AmChoking);
        Assert.NotEmpty(SwarmHarness.Requests(seederLink.TakeMessages()));
        Assert.Equal((urgent + 1, soon), (seederLink.Flushes, seederLink.SoonFlushes));
        harness.Swarm.Close();
        harness.Pool.AssertAllReturned();
    }
}
