using System.Net;
using Shoal.Discovery.Dht;
using Xunit.Abstractions;

namespace Shoal.Tests.Discovery.Dht;

public sealed class SimulatedDhtTests(ITestOutputHelper output)
{
    private const int NodeCount = 1000;
    private const int Lookups = 200;

    [Fact]
    public void Thousand_node_dht_finds_an_announced_peer_before_and_after_a_fifth_vanishes()
    {
        var network = new SimulatedNetwork(seed: 42);
        var random = new Random(7);
        for (int i = 0; i < NodeCount; i++)
        {
            DhtNode node = network.Add();
            var seeds = Enumerable.Range(0, Math.Min(i, 3)).Select(_ => network.Members[random.Next(i)].EndPoint);
            node.Bootstrap(seeds);
            network.RunUntil(() => false, TimeSpan.FromSeconds(1));
        }

        // A second walk towards each node's own id, now that the network is whole, as a bucket refresh would do.
        RunAll(network, network.Members.Select(m => m.Node.FindNode(m.Node.Id)).ToList());
        output.WriteLine($"average routing table size {network.Members.Average(m => m.Node.State.RoutingTableSize):F1}");

        NodeId infoHash = NodeId.CreateRandom(random);
        (IPEndPoint announcerEndPoint, DhtNode announcer) = network.Members[random.Next(NodeCount)];
        RunAll(network, [announcer.Announce(infoHash, 51413)]);
        network.RunUntil(() => false, TimeSpan.FromSeconds(2));
        var peer = new IPEndPoint(announcerEndPoint.Address, 51413);
        output.WriteLine($"nodes storing the peer: {network.Members.Count(m => m.Node.State.StoredPeers > 0)}");

        double before = SuccessRate(network, random, infoHash, peer, "all nodes up");
        Assert.True(before >= 0.99, $"success {before:P1}");

        foreach (var (endPoint, node) in network.Members.Where(m => m.Node != announcer).OrderBy(_ => random.Next()).Take(NodeCount / 5).ToList())
        {
            network.Remove(endPoint);
        }

        double after = SuccessRate(network, random, infoHash, peer, "20% vanished");
        Assert.True(after >= 0.95, $"success {after:P1}");
    }

    private double SuccessRate(SimulatedNetwork network, Random random, NodeId infoHash, IPEndPoint peer, string phase)
    {
        var online = network.Members.Where(m => network.IsOnline(m.EndPoint)).ToList();
        List<DhtLookup> lookups = [.. online.OrderBy(_ => random.Next()).Take(Lookups).Select(m => m.Node.GetPeers(infoHash))];
        RunAll(network, lookups);
        int found = lookups.Count(l => l.IsComplete && l.Completion.Result.Peers.Contains(peer));
        int[] queries = [.. lookups.Select(l => l.QueriesSent).Order()];
        output.WriteLine($"{phase}: {found}/{lookups.Count} lookups found the peer; median {queries[queries.Length / 2]} queries per lookup (max {queries[^1]})");
        return (double)found / lookups.Count;
    }

    private static void RunAll(SimulatedNetwork network, List<DhtLookup> lookups) =>
        network.RunUntil(() => lookups.All(l => l.IsComplete), TimeSpan.FromMinutes(2));
}
