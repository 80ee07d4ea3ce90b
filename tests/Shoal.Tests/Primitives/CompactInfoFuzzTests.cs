using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Primitives;

/// <summary>Random compact peer and node lists (trackers, ut_pex, the DHT): read whole or refused, never thrown on.</summary>
[Trait("Category", "Fuzz")]
public class CompactInfoFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;
    private const int MaxPeers = 50;

    [Theory]
    [InlineData("compact peers")]
    [InlineData("compact nodes")]
    public void Random_lists_are_read_whole_or_refused(string parser)
    {
        var mutator = new Mutator(23);
        var random = new Random(23);
        bool peers = parser == "compact peers";
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i =>
        {
            // Half the lists are a whole number of entries of some family, to reach the reading.
            byte[] bytes = mutator.RandomBytes(800);
            int stride = (i % 4) switch { 0 => 6, 1 => 18, 2 => 26, _ => 38 };
            return i % 2 == 0 ? bytes[..(bytes.Length / stride * stride)] : bytes;
        }, input =>
        {
            AddressFamily family = random.Next(2) == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            int stride = peers ? CompactInfo.PeerLength(family) : CompactInfo.NodeLength(family);
            List<IPEndPoint> endPoints = [];
            List<CompactNode> nodes = [];
            bool read = peers ? CompactInfo.TryReadPeers(input, family, endPoints, MaxPeers) : CompactInfo.TryReadNodes(input, family, nodes);
            Assert.Equal(input.Length % stride == 0, read);
            Assert.Equal(read ? (peers ? Math.Min(input.Length / stride, MaxPeers) : input.Length / stride) : 0, peers ? endPoints.Count : nodes.Count);
            Assert.All(peers ? endPoints : nodes.Select(n => n.EndPoint), e => Assert.Equal(family, e.AddressFamily));
            return read;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
