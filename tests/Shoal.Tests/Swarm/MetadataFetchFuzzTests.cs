using System.Buffers;
using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Fuzzing;
using Shoal.Wire;
using Xunit.Abstractions;

namespace Shoal.Tests.Swarm;

/// <summary>
/// A magnet's metadata fetched from hostile peers (BEP 9): random, mutated and honest extension handshakes and
/// ut_metadata messages into one <see cref="MetadataFetcher"/>. Only <see cref="PeerProtocolException"/> may come
/// out, and a copy that completes is the one whose hash matches.
/// </summary>
[Trait("Category", "Fuzz")]
public class MetadataFetchFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[] Info = RandomNumberGenerator.GetBytes((3 * MetadataMessage.PieceSize) + 5);
    private static readonly InfoHashes Hashes = new(new InfoHash(SHA1.HashData(Info)), null);

    [Fact]
    public void Hostile_metadata_messages_only_raise_protocol_errors()
    {
        // The first byte says which extended message carries the rest: even the handshake, odd ut_metadata.
        List<byte[]> seeds = [[0, .. new ExtensionHandshake { Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = 3 }, MetadataSize = Info.Length }.Encode()]];
        for (int piece = 0; piece * MetadataMessage.PieceSize < Info.Length; piece++)
        {
            int offset = piece * MetadataMessage.PieceSize;
            seeds.Add([1, .. MetadataMessage.DataPiece(piece, Info.Length, Info.AsMemory(offset, Math.Min(MetadataMessage.PieceSize, Info.Length - offset))).Encode()]);
        }

        seeds.Add([1, .. MetadataMessage.Request(0).Encode()]);
        seeds.Add([1, .. MetadataMessage.Reject(1).Encode()]);

        var mutator = new Mutator(9);
        var requests = new ArrayBufferWriter<byte>();
        var fetcher = new MetadataFetcher(Hashes);
        var source = new MetadataSource();
        int completed = 0;
        int honest = 0;
        // Mostly an honest peer's messages in order (handshake, pieces, a request, a reject), so that copies complete; one in eight broken.
        FuzzResult result = FuzzRun.Run(output, "ut_metadata fetch", 100_000, i => (i % 16) switch
        {
            7 => mutator.Mutate(seeds[i % seeds.Count]),
            15 => mutator.RandomBytes(100),
            _ => seeds[honest++ % seeds.Count],
        }, input =>
        {
            requests.ResetWrittenCount();
            var message = new PeerMessage
            {
                Id = MessageId.Extended,
                ExtendedId = input.Length > 0 && input[0] % 2 == 1 ? LocalExtensionIds.UtMetadata : (byte)0,
                Payload = new ReadOnlySequence<byte>(input, Math.Min(1, input.Length), Math.Max(0, input.Length - 1)),
            };
            MetadataProgress progress;
            try
            {
                progress = fetcher.OnMessage(source, message, requests);
            }
            catch (PeerProtocolException)
            {
                source = new MetadataSource();
                return false;
            }

            if (progress == MetadataProgress.Complete)
            {
                Assert.Equal(Info, fetcher.Metadata!.Value.ToArray());
                completed++;
                fetcher = new MetadataFetcher(Hashes);
            }

            if (progress != MetadataProgress.Pending)
            {
                source = new MetadataSource();
            }

            return true;
        });
        output.WriteLine($"{completed:N0} copies completed");
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
        Assert.True(completed > 0, "no copy ever completed: the honest messages never got through");
    }
}
