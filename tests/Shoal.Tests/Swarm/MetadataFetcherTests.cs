using System.Buffers;
using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

public class MetadataFetcherTests
{
    private const byte RemoteId = 7;
    private static readonly byte[] Info = RandomNumberGenerator.GetBytes((3 * MetadataMessage.PieceSize) + 5);
    private static readonly InfoHashes Hashes = new(new InfoHash(SHA1.HashData(Info)), null);

    private static PeerMessage Extended(byte id, byte[] payload) =>
        new() { Id = MessageId.Extended, ExtendedId = id, Payload = new ReadOnlySequence<byte>(payload) };

    private static PeerMessage Handshake(long? size) => Extended(0, new ExtensionHandshake
    {
        Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = RemoteId },
        MetadataSize = size,
    }.Encode());

    /// <summary>The ut_metadata requests written to <paramref name="output"/>, in order.</summary>
    private static List<MetadataMessage> Requests(ArrayBufferWriter<byte> output)
    {
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory.ToArray());
        output.ResetWrittenCount();
        var requests = new List<MetadataMessage>();
        var reader = new PeerMessageReader();
        while (reader.TryRead(ref buffer, out PeerMessage message))
        {
            Assert.Equal(RemoteId, message.ExtendedId);
            requests.Add(MetadataMessage.Parse(message.Payload.ToArray()));
        }

        return requests;
    }

    /// <summary>Answers every request with pieces of <paramref name="info"/> until the fetcher decides.</summary>
    private static MetadataProgress Serve(MetadataFetcher fetcher, MetadataSource source, byte[] info, ArrayBufferWriter<byte> output)
    {
        MetadataProgress progress = fetcher.OnMessage(source, Handshake(info.Length), output);
        while (progress == MetadataProgress.Pending && Requests(output) is { Count: > 0 } requests)
        {
            foreach (MetadataMessage request in requests)
            {
                int offset = request.Piece * MetadataMessage.PieceSize;
                byte[] piece = info[offset..Math.Min(info.Length, offset + MetadataMessage.PieceSize)];
                progress = fetcher.OnMessage(source, Extended(LocalExtensionIds.UtMetadata, MetadataMessage.DataPiece(request.Piece, info.Length, piece).Encode()), output);
            }
        }

        return progress;
    }

    [Fact]
    public void A_peer_that_advertises_the_size_is_asked_for_every_piece_and_the_metadata_verified()
    {
        var fetcher = new MetadataFetcher(Hashes);
        Assert.Equal(MetadataProgress.Complete, Serve(fetcher, new MetadataSource(), Info, new ArrayBufferWriter<byte>()));
        Assert.Equal(Info, fetcher.Metadata!.Value.ToArray());
    }

    [Fact]
    public void A_corrupt_copy_convicts_its_peer_and_another_peer_supplies_the_metadata()
    {
        var fetcher = new MetadataFetcher(Hashes);
        byte[] corrupt = (byte[])Info.Clone();
        corrupt[100] ^= 0xFF;
        Assert.Equal(MetadataProgress.Corrupt, Serve(fetcher, new MetadataSource(), corrupt, new ArrayBufferWriter<byte>()));
        Assert.Null(fetcher.Metadata);
        Assert.Equal(MetadataProgress.Complete, Serve(fetcher, new MetadataSource(), Info, new ArrayBufferWriter<byte>()));
        Assert.Equal(Info, fetcher.Metadata!.Value.ToArray());
    }

    [Fact]
    public void A_peer_without_metadata_or_that_rejects_is_refused()
    {
        var fetcher = new MetadataFetcher(Hashes);
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(MetadataProgress.Refused, fetcher.OnMessage(new MetadataSource(), Handshake(null), output));

        var source = new MetadataSource();
        Assert.Equal(MetadataProgress.Pending, fetcher.OnMessage(source, Handshake(Info.Length), output));
        Assert.Equal(MetadataProgress.Refused, fetcher.OnMessage(source, Extended(LocalExtensionIds.UtMetadata, MetadataMessage.Reject(0).Encode()), output));
    }

    [Fact]
    public void Data_nobody_asked_for_is_a_protocol_error()
    {
        var fetcher = new MetadataFetcher(Hashes);
        PeerMessage data = Extended(LocalExtensionIds.UtMetadata, MetadataMessage.DataPiece(0, Info.Length, Info.AsMemory(0, MetadataMessage.PieceSize)).Encode());
        Assert.Throws<PeerProtocolException>(() => fetcher.OnMessage(new MetadataSource(), data, new ArrayBufferWriter<byte>()));
    }
}
