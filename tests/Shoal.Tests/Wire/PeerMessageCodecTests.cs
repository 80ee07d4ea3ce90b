using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

public class PeerMessageCodecTests
{
    private static PeerMessage RoundTrip(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(new PeerMessageReader().TryRead(ref buffer, out PeerMessage message));
        Assert.Equal(0, buffer.Length);
        return message;
    }

    [Theory]
    [InlineData(MessageId.Choke)]
    [InlineData(MessageId.Unchoke)]
    [InlineData(MessageId.Interested)]
    [InlineData(MessageId.NotInterested)]
    [InlineData(MessageId.HaveAll)]
    [InlineData(MessageId.HaveNone)]
    public void Simple_messages_round_trip(MessageId id) =>
        Assert.Equal(id, RoundTrip(o => PeerMessageWriter.WriteSimple(o, id)).Id);

    [Theory]
    [InlineData(MessageId.Have)]
    [InlineData(MessageId.SuggestPiece)]
    [InlineData(MessageId.AllowedFast)]
    public void Index_messages_round_trip(MessageId id)
    {
        PeerMessage message = RoundTrip(o => PeerMessageWriter.WriteIndex(o, id, 123_456));
        Assert.Equal((id, 123_456), (message.Id, message.Index));
    }

    [Theory]
    [InlineData(MessageId.Request)]
    [InlineData(MessageId.Cancel)]
    [InlineData(MessageId.RejectRequest)]
    public void Block_references_round_trip(MessageId id)
    {
        PeerMessage message = RoundTrip(o => PeerMessageWriter.WriteBlockReference(o, id, 7, 16384, 16384));
        Assert.Equal((id, 7, 16384, 16384), (message.Id, message.Index, message.Begin, message.Length));
    }

    [Fact]
    public void Piece_bitfield_port_extended_and_keep_alive_round_trip()
    {
        byte[] block = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        PeerMessage piece = RoundTrip(o =>
        {
            PeerMessageWriter.WritePieceHeader(o, 3, 32768, block.Length);
            o.Write(block);
        });
        Assert.Equal((MessageId.Piece, 3, 32768), (piece.Id, piece.Index, piece.Begin));
        Assert.Equal(block, piece.Payload.ToArray());

        Assert.Equal([0xff, 0x80], RoundTrip(o => PeerMessageWriter.WriteBitfield(o, [0xff, 0x80])).Payload.ToArray());
        Assert.Equal(6881, RoundTrip(o => PeerMessageWriter.WritePort(o, 6881)).Port);
        PeerMessage extended = RoundTrip(o => PeerMessageWriter.WriteExtended(o, 3, "de"u8));
        Assert.Equal((MessageId.Extended, (byte)3), (extended.Id, extended.ExtendedId));
        Assert.Equal("de"u8.ToArray(), extended.Payload.ToArray());
        Assert.True(RoundTrip(PeerMessageWriter.WriteKeepAlive).IsKeepAlive);
    }

    [Fact]
    public void Partial_messages_wait_for_more_bytes_across_segments()
    {
        var output = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteBlockReference(output, MessageId.Request, 1, 2, 3);
        PeerMessageWriter.WriteSimple(output, MessageId.Unchoke);
        byte[] bytes = output.WrittenSpan.ToArray();
        var reader = new PeerMessageReader();
        for (int cut = 0; cut < 17; cut++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, cut);
            Assert.False(reader.TryRead(ref partial, out _));
            Assert.Equal(cut, partial.Length);
        }

        ReadOnlySequence<byte> split = Segments.Split(bytes, 3, 9, 19, 22);
        Assert.True(reader.TryRead(ref split, out PeerMessage request));
        Assert.Equal((1, 2, 3), (request.Index, request.Begin, request.Length));
        Assert.True(reader.TryRead(ref split, out PeerMessage unchoke));
        Assert.Equal(MessageId.Unchoke, unchoke.Id);
        Assert.False(reader.TryRead(ref split, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 2, 0, 1 }, "Choke message has 1 payload bytes, not 0")]
    [InlineData(new byte[] { 0, 0, 0, 4, 4, 0, 0, 1 }, "Have message has 3 payload bytes, not 4")]
    [InlineData(new byte[] { 0, 0, 0, 5, 4, 0xff, 0xff, 0xff, 0xff }, "beyond 2^31")]
    [InlineData(new byte[] { 0, 0, 0, 5, 7, 0, 0, 0, 0 }, "shorter than its header")]
    [InlineData(new byte[] { 0, 0, 0, 1, 20 }, "without an extension id")]
    [InlineData(new byte[] { 0x7f, 0, 0, 0 }, "longer than the")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff }, "longer than the")]
    public void Malformed_messages_are_protocol_errors(byte[] bytes, string problem)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<PeerProtocolException>(() => new PeerMessageReader().TryRead(ref buffer, out _));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_only_raise_protocol_errors()
    {
        var random = new Random(5);
        var reader = new PeerMessageReader(64 * 1024);
        for (int i = 0; i < 100_000; i++)
        {
            var bytes = new byte[random.Next(40)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4 && random.Next(2) == 0)
            {
                bytes[0] = bytes[1] = 0;
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            try
            {
                while (reader.TryRead(ref buffer, out _))
                {
                }
            }
            catch (PeerProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Handshake_round_trips_and_advertises_fast_and_extension_protocol()
    {
        var infoHash = new InfoHash(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        byte[] peerId = [.. "-SH0010-abcdefghijkl"u8];
        var bytes = new byte[Handshake.Length];
        new Handshake(ReservedBits.Shoal, infoHash, peerId).WriteTo(bytes);

        Assert.Equal(0x10, bytes[20 + 5]);
        Assert.Equal(0x05, bytes[20 + 7]);
        Assert.False(Handshake.TryRead(bytes.AsSpan(0, 67), out _));
        Assert.True(Handshake.TryRead(bytes, out Handshake? read));
        Assert.Equal(infoHash, read!.InfoHash);
        Assert.Equal(peerId, read.PeerId.ToArray());
        Assert.True(read.Reserved.SupportsFastExtension && read.Reserved.SupportsExtensionProtocol && read.Reserved.SupportsDht);
        Assert.False(read.Reserved.SupportsV2);
        Assert.True(read.Reserved.WithV2(true).SupportsV2);
    }

    [Fact]
    public void A_foreign_protocol_is_refused_at_the_first_bytes()
    {
        var error = Assert.Throws<PeerProtocolException>(() => Handshake.TryRead("GET / HTTP/1.1"u8, out _));
        Assert.Contains("bad handshake header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extension_handshake_round_trips_and_ignores_junk()
    {
        var handshake = new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { ["ut_metadata"] = 2, ["ut_pex"] = 1 },
            Client = "Shoal 0.1.0",
            ListenPort = 6881,
            RequestQueueDepth = 500,
            YourIp = IPAddress.Parse("127.0.0.1"),
            MetadataSize = 31235,
        };
        ExtensionHandshake read = ExtensionHandshake.Parse(handshake.Encode());
        Assert.Equal(handshake.Extensions, read.Extensions);
        Assert.Equal((handshake.Client, handshake.ListenPort, handshake.RequestQueueDepth, handshake.YourIp, handshake.MetadataSize),
            (read.Client, read.ListenPort, read.RequestQueueDepth, read.YourIp, read.MetadataSize));

        ExtensionHandshake junk = ExtensionHandshake.Parse("d1:md6:ut_pexi0e5:ut_xxi999e11:ut_metadata1:xe1:pi70000e4:reqqi-1e6:youripi1ee"u8.ToArray());
        Assert.Empty(junk.Extensions);
        Assert.Null(junk.ListenPort);
        Assert.Null(junk.RequestQueueDepth);
        Assert.Null(junk.YourIp);
        Assert.Throws<PeerProtocolException>(() => ExtensionHandshake.Parse("d1:m"u8.ToArray()));
    }
}
