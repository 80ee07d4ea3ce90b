using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Tests.Fuzzing;
using Shoal.Wire;
using Xunit.Abstractions;

namespace Shoal.Tests.Wire;

/// <summary>
/// Random and mutated handshakes, message streams and extension payloads, straight into the wire codec:
/// only <see cref="PeerProtocolException"/> may come out, and what is accepted holds to the codec's bounds.
/// </summary>
[Trait("Category", "Fuzz")]
public class WireFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;
    private const int MaxPexPeers = 200;

    [Fact]
    public void Mutated_handshakes_only_raise_protocol_errors()
    {
        var handshake = new byte[Handshake.Length];
        new Handshake(ReservedBits.Shoal, new InfoHash(new byte[20]), new byte[20]).WriteTo(handshake);
        byte[][] seeds = [handshake, handshake[..30], [.. handshake, .. "\0\0\0\u0001\u0002"u8]];
        var mutator = new Mutator(68);
        FuzzResult result = FuzzRun.Run(output, "handshake", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(80) : mutator.Mutate(seeds[i % seeds.Length]), input =>
            FuzzRun.Accepts<PeerProtocolException>(() => Assert.Equal(input.Length >= Handshake.Length, Handshake.TryRead(input, out _))));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_message_streams_only_raise_protocol_errors()
    {
        byte[][] seeds = [Stream(), Stream()[7..], [.. Stream(), .. Stream()]];
        var mutator = new Mutator(3);
        var reader = new PeerMessageReader(maxMessageLength: 64 * 1024);
        FuzzResult result = FuzzRun.Run(output, "peer wire message stream", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(seeds[i % seeds.Length]), input =>
            FuzzRun.Accepts<PeerProtocolException>(() =>
            {
                // Split as a socket might deliver it, so that fields straddle segments.
                int cut = input.Length / 3;
                ReadOnlySequence<byte> buffer = input.Length < 3 ? new(input) : Segments.Split(input, cut, 2 * cut, input.Length);
                while (reader.TryRead(ref buffer, out PeerMessage message))
                {
                    Assert.True(message.Index >= 0 && message.Begin >= 0 && message.Length >= 0);
                    Assert.InRange(message.Payload.Length, 0, reader.MaxMessageLength);
                    if (message.Id is MessageId.HashRequest or MessageId.HashReject)
                    {
                        Assert.Equal(32, HashRequest.Read(message.Payload).PiecesRoot.Length);
                    }
                    else if (message.Id == MessageId.Hashes)
                    {
                        Assert.True(HashesMessage.Read(message.Payload).Request.IsWellFormed);
                    }
                }
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Theory]
    [InlineData("extension handshake")]
    [InlineData("ut_metadata")]
    [InlineData("ut_pex")]
    [InlineData("bitfield")]
    public void Mutated_extension_payloads_only_raise_protocol_errors(string parser)
    {
        byte[][] seeds = parser switch
        {
            "extension handshake" =>
            [
                new ExtensionHandshake { Extensions = new Dictionary<string, byte> { ["ut_metadata"] = 2, ["ut_pex"] = 3 }, Client = "Shoal 0.1", ListenPort = 6881, RequestQueueDepth = 500, YourIp = IPAddress.Loopback, MetadataSize = 31234 }.Encode(),
                new ExtensionHandshake { YourIp = IPAddress.IPv6Loopback }.Encode(),
            ],
            "ut_metadata" => [MetadataMessage.Request(3).Encode(), MetadataMessage.Reject(0).Encode(), MetadataMessage.DataPiece(1, 20000, new byte[100]).Encode()],
            "ut_pex" =>
            [
                new PexMessage { Added = [new(IPEndPoint.Parse("10.0.0.1:6881"), PexPeer.SeedFlag), new(IPEndPoint.Parse("[2001:db8::1]:1"), 0)], Dropped = [IPEndPoint.Parse("10.0.0.2:2")] }.Encode(),
                new PexMessage { Added = [.. Enumerable.Range(1, 30).Select(p => new PexPeer(new IPEndPoint(IPAddress.Loopback, p), 0))] }.Encode(),
            ],
            // The first byte picks the torrent's piece count, the rest is the bitfield.
            _ => [[12, 0xFF, 0xF8], [0, 0x80], [99, .. new byte[13]]],
        };
        var mutator = new Mutator(10);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i => i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Length]), input =>
            FuzzRun.Accepts<PeerProtocolException>(() =>
            {
                switch (parser)
                {
                    case "extension handshake":
                        ExtensionHandshake handshake = ExtensionHandshake.Parse(input);
                        Assert.DoesNotContain(handshake.Extensions.Values, id => id == 0);
                        break;
                    case "ut_metadata":
                        MetadataMessage message = MetadataMessage.Parse(input);
                        Assert.True(message.Piece >= 0 && message.TotalSize >= 0);
                        break;
                    case "ut_pex":
                        PexMessage pex = PexMessage.Parse(input, MaxPexPeers);
                        Assert.True(pex.Added.Count <= MaxPexPeers && pex.Dropped.Count <= MaxPexPeers);
                        break;
                    default:
                        int pieceCount = input.Length == 0 ? 1 : input[0] + 1;
                        Assert.Equal(pieceCount, BitfieldMessage.Decode(input.AsSpan(Math.Min(1, input.Length)), pieceCount).Length);
                        break;
                }
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    /// <summary>One of every message the codec knows, and an unknown id.</summary>
    private static byte[] Stream()
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteKeepAlive(writer);
        PeerMessageWriter.WriteSimple(writer, MessageId.Unchoke);
        PeerMessageWriter.WriteSimple(writer, MessageId.HaveAll);
        PeerMessageWriter.WriteIndex(writer, MessageId.Have, 7);
        PeerMessageWriter.WriteIndex(writer, MessageId.AllowedFast, 1);
        PeerMessageWriter.WriteBitfield(writer, [0xFF, 0x80]);
        PeerMessageWriter.WriteBlockReference(writer, MessageId.Request, 1, 16384, 16384);
        PeerMessageWriter.WriteBlockReference(writer, MessageId.RejectRequest, 2, 0, 16384);
        PeerMessageWriter.WritePieceHeader(writer, 1, 0, 20);
        writer.Write(new byte[20]);
        PeerMessageWriter.WritePort(writer, 6881);
        PeerMessageWriter.WriteExtended(writer, 0, new ExtensionHandshake { Client = "x" }.Encode());
        var hashRequest = new HashRequest(new byte[32], 0, 2, 2, 1);
        PeerMessageWriter.WriteHashRequest(writer, MessageId.HashRequest, hashRequest);
        PeerMessageWriter.WriteHashes(writer, hashRequest, new byte[3 * 32]);
        writer.Write<byte>([0, 0, 0, 3, 99, 1, 2]);
        return writer.WrittenSpan.ToArray();
    }
}
