using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Tests.Fuzzing;
using Shoal.Tests.Net;
using Xunit.Abstractions;

namespace Shoal.Tests.Discovery.Dht;

[Trait("Category", "Fuzz")]
public sealed class DhtNodeFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 120_000;

    [Fact]
    public void Malformed_and_mutated_packets_never_escape_and_state_stays_bounded()
    {
        var time = new ManualTimeProvider();
        var sent = new CapturingSender();
        var options = new DhtNodeOptions { MaxPendingQueries = 64, MaxInfoHashes = 50, MaxPeersPerInfoHash = 20, MaxStoredPeers = 300 };
        var random = new Random(11);
        var node = new DhtNode(NodeId.CreateRandom(random), sent, time, options, new Random(12));
        var mutator = new Mutator(13);
        IPEndPoint[] sources = [.. Enumerable.Range(1, 64).Select(i => new IPEndPoint(new IPAddress([172, 16, 0, (byte)i]), 6881))];
        node.Bootstrap(sources.Take(8));
        byte[][] seeds = [.. sources.Select(s => Valid(random, node, sent, s)).SelectMany(x => x)];
        Assert.Contains(seeds, s => KrpcDecoder.Decode(s) is KrpcResponse);

        int received = 0;
        FuzzResult result = FuzzRun.Run(output, "dht krpc", PerRun, i => i % 4 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[random.Next(seeds.Length)]), packet =>
        {
            bool decoded = FuzzRun.Accepts<KrpcException>(() => KrpcDecoder.Decode(packet));
            node.Receive(packet, sources[random.Next(sources.Length)]);
            if (received++ % 100 == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(700));
                node.Tick();
                node.GetPeers(NodeId.CreateRandom(random));
                sent.Clear();
            }

            DhtState state = node.State;
            Assert.True(state.PendingQueries <= options.MaxPendingQueries);
            Assert.True(state.StoredPeers <= options.MaxStoredPeers);
            Assert.True(state.StoredInfoHashes <= options.MaxInfoHashes);
            Assert.True(state.RoutingTableSize <= RoutingTable.Capacity);
            return decoded;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    // Valid queries from the source, plus responses to whatever the node last sent it (matching transaction ids).
    private static IEnumerable<byte[]> Valid(Random random, DhtNode node, CapturingSender sent, IPEndPoint from)
    {
        NodeId sender = NodeId.CreateRandom(random);
        NodeId target = NodeId.CreateRandom(random);
        byte[] tid = [(byte)random.Next(256)];
        byte[] getPeers = KrpcEncoder.Encode(new KrpcQuery { TransactionId = tid, Kind = KrpcQueryKind.GetPeers, Sender = sender, Target = target });
        sent.Clear();
        node.Receive(getPeers, from);
        ReadOnlyMemory<byte> token = ((KrpcResponse)KrpcDecoder.Decode(sent.Last(from))).Token;
        yield return getPeers;
        yield return KrpcEncoder.Encode(new KrpcQuery { TransactionId = tid, Kind = KrpcQueryKind.Ping, Sender = sender });
        yield return KrpcEncoder.Encode(new KrpcQuery { TransactionId = tid, Kind = KrpcQueryKind.FindNode, Sender = sender, Target = target, Want = NodeFamilies.IPv4 | NodeFamilies.IPv6 });
        yield return KrpcEncoder.Encode(new KrpcQuery { TransactionId = tid, Kind = KrpcQueryKind.AnnouncePeer, Sender = sender, Target = target, Port = 6881, Token = token });

        node.FindNode(target);
        foreach (KrpcQuery asked in sent.To(from).Select(d => KrpcDecoder.Decode(d)).OfType<KrpcQuery>())
        {
            NodeInfo[] nodes = [.. Enumerable.Range(0, 8).Select(i => new NodeInfo(NodeId.CreateRandom(random), new IPEndPoint(new IPAddress([172, 16, 1, (byte)i]), 6881)))];
            yield return KrpcEncoder.Encode(new KrpcResponse { TransactionId = asked.TransactionId, Sender = sender, Nodes = nodes, Token = tid, Values = [from] });
            yield return KrpcEncoder.Encode(new KrpcError { TransactionId = asked.TransactionId, Code = 201, Message = "x" });
        }
    }

    private sealed class CapturingSender : IDatagramSender
    {
        private readonly List<(byte[] Datagram, IPEndPoint To)> _sent = [];

        public void Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination) => _sent.Add((datagram.ToArray(), destination));

        public byte[] Last(IPEndPoint to) => _sent.Last(s => s.To.Equals(to)).Datagram;

        public IEnumerable<byte[]> To(IPEndPoint to) => [.. _sent.Where(s => s.To.Equals(to)).Select(s => s.Datagram)];

        public void Clear() => _sent.Clear();
    }
}
