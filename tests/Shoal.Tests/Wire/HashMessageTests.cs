using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

/// <summary>BEP 52 hash request (21), hashes (22) and hash reject (23) on the wire.</summary>
public class HashMessageTests
{
    private static readonly byte[] Root = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    [Theory]
    [InlineData(MessageId.HashRequest)]
    [InlineData(MessageId.HashReject)]
    public void Hash_requests_and_rejects_round_trip(MessageId id)
    {
        var request = new HashRequest(Root, 2, 512, 512, 9);
        PeerMessage message = ReadOne(o => PeerMessageWriter.WriteHashRequest(o, id, request));

        Assert.Equal(id, message.Id);
        Assert.Equal(request, HashRequest.Read(message.Payload));
    }

    [Fact]
    public void The_encoding_is_the_one_of_bep_52()
    {
        var output = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteHashRequest(output, MessageId.HashRequest, new HashRequest(Root, 1, 2, 4, 5));
        byte[] expected = [0, 0, 0, 49, 21, .. Root, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 5];
        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Hashes_round_trip_with_base_and_uncle_hashes_apart()
    {
        var request = new HashRequest(Root, 0, 4, 4, 3);
        byte[] hashes = [.. Enumerable.Range(0, 6 * 32).Select(i => (byte)i)];
        PeerMessage message = ReadOne(o => PeerMessageWriter.WriteHashes(o, request, hashes));

        HashesMessage read = HashesMessage.Read(message.Payload);
        Assert.Equal(request, read.Request);
        Assert.Equal(hashes[..128], read.BaseHashes.ToArray());
        Assert.Equal(hashes[128..], read.UncleHashes.ToArray());
    }

    [Theory]
    [InlineData(21, 47, "HashRequest message has 47 payload bytes, not 48")]
    [InlineData(23, 49, "HashReject message has 49 payload bytes, not 48")]
    [InlineData(22, 47, "not a header and whole 32-byte hashes")]
    [InlineData(22, 48 + 33, "not a header and whole 32-byte hashes")]
    public void Messages_of_the_wrong_size_are_protocol_errors(byte id, int payloadLength, string problem)
    {
        byte[] bytes = [0, 0, (byte)((payloadLength + 1) >> 8), (byte)(payloadLength + 1), id, .. new byte[payloadLength]];
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<PeerProtocolException>(() => new PeerMessageReader().TryRead(ref buffer, out _));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 2, 0, 1)]        // fewer hashes than asked for
    [InlineData(0, 0, 2, 0, 2 + 65)]   // more uncles than a tree has layers
    [InlineData(-1, 0, 2, 0, 2)]       // a negative layer
    [InlineData(0, 0, 3, 0, 3)]        // not a power of two
    [InlineData(0, 2, 4, 0, 4)]        // not at a multiple of the length
    [InlineData(0, 0, 16384, 0, 16384)] // more than 8192 hashes
    public void Hashes_that_do_not_fit_their_header_are_protocol_errors(int baseLayer, int index, int length, int proofLayers, int count)
    {
        var output = new ArrayBufferWriter<byte>();
        PeerMessageWriter.WriteHashes(output, new HashRequest(Root, baseLayer, index, length, proofLayers), new byte[count * 32]);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(new PeerMessageReader().TryRead(ref buffer, out PeerMessage message));
        Assert.Throws<PeerProtocolException>(() => HashesMessage.Read(message.Payload));
    }

    [Theory]
    [InlineData(0, 0, 1, 0, true)]   // libtorrent asks for one hash at the end of a file
    [InlineData(3, 1024, 512, 10, true)]
    [InlineData(0, 0, 8192, 63, true)]
    [InlineData(0, 0, 0, 0, false)]
    [InlineData(0, 0, 8193, 0, false)]
    [InlineData(0, 0, 6, 0, false)]
    [InlineData(0, 3, 2, 0, false)]
    [InlineData(0, -2, 2, 0, false)]
    [InlineData(64, 0, 2, 0, false)]
    [InlineData(0, 0, 2, 64, false)]
    [InlineData(0, 0, 2, -1, false)]
    public void Well_formed_requests_are_those_bep_52_allows(int baseLayer, int index, int length, int proofLayers, bool wellFormed) =>
        Assert.Equal(wellFormed, new HashRequest(Root, baseLayer, index, length, proofLayers).IsWellFormed);

    [Fact]
    public void Any_request_and_its_hashes_round_trip()
    {
        Gen<(byte[] Root, int[] Fields, int Uncles)> messages =
            from root in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32)
            from baseLayer in Gen.Choose(0, HashRequest.MaxLayers - 1)
            from log in Gen.Choose(0, 13)
            from slot in Gen.Choose(0, 1000)
            from proofLayers in Gen.Choose(0, HashRequest.MaxLayers - 1)
            from uncles in Gen.Choose(0, HashRequest.MaxLayers)
            select (root, new[] { baseLayer, slot << log, 1 << log, proofLayers }, uncles);
        Config config = Config.QuickThrowOnFailure.WithMaxTest(300)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20261207UL), FSharpOption<int>.None)));

        Check.One(config, Prop.ForAll(Arb.From(messages), m =>
        {
            var request = new HashRequest(m.Root, m.Fields[0], m.Fields[1], m.Fields[2], m.Fields[3]);
            byte[] hashes = new byte[(request.Length + m.Uncles) * 32];
            new Random(m.Fields[1]).NextBytes(hashes);
            var output = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteHashRequest(output, MessageId.HashRequest, request);
            PeerMessageWriter.WriteHashes(output, request, hashes);
            var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
            var reader = new PeerMessageReader();
            bool ok = reader.TryRead(ref buffer, out PeerMessage asked) && HashRequest.Read(asked.Payload) == request;
            ok &= reader.TryRead(ref buffer, out PeerMessage answered);
            HashesMessage read = HashesMessage.Read(answered.Payload);
            return ok && request.IsWellFormed && read.Request == request && read.Hashes.Span.SequenceEqual(hashes) && buffer.Length == 0;
        }));
    }

    [Fact]
    public void The_handshake_carries_the_v2_bit_when_asked()
    {
        var bytes = new byte[Handshake.Length];
        new Handshake(ReservedBits.Shoal.WithV2(true), new InfoHash(new byte[20]), new byte[20]).WriteTo(bytes);

        Assert.Equal(0x15, bytes[20 + 7]);
        Assert.True(Handshake.TryRead(bytes, out Handshake? read));
        Assert.True(read!.Reserved.SupportsV2);
        Assert.False(read.Reserved.WithV2(false).SupportsV2);
    }

    private static PeerMessage ReadOne(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(new PeerMessageReader().TryRead(ref buffer, out PeerMessage message));
        Assert.Equal(0, buffer.Length);
        return message;
    }
}
