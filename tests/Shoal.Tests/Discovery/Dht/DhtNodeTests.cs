using System.Net;
using Shoal.Discovery.Dht;

namespace Shoal.Tests.Discovery.Dht;

public sealed class DhtNodeTests
{
    [Fact]
    public void Read_only_node_uses_the_dht_but_answers_nothing_and_joins_no_table()
    {
        var network = new SimulatedNetwork(seed: 3);
        DhtNode full = network.Add();
        DhtNode readOnly = network.Add(new DhtNodeOptions { ReadOnly = true });
        DhtNode other = network.Add();
        readOnly.Bootstrap([network.Members[0].EndPoint]);
        other.Bootstrap([network.Members[0].EndPoint]);
        network.RunUntil(() => false, TimeSpan.FromSeconds(10));

        Assert.True(readOnly.State.RoutingTableSize >= 1);
        Assert.DoesNotContain(full.Table.Nodes, n => n.Id == readOnly.Id);
        Assert.DoesNotContain(other.Table.Nodes, n => n.Id == readOnly.Id);
    }

    [Fact]
    public void A_node_that_only_queried_us_joins_the_table_once_it_answers_our_ping()
    {
        var network = new SimulatedNetwork(seed: 5);
        DhtNode victim = network.Add();
        DhtNode honest = network.Add();

        // BEP 5: a node is good once it has responded to one of our queries; a sender of forged queries never does.
        var forger = new IPEndPoint(IPAddress.Parse("10.9.9.9"), 6881);
        NodeId forged = NodeId.CreateRandom(new Random(55));
        victim.Receive(KrpcEncoder.Encode(new KrpcQuery { TransactionId = "aa"u8.ToArray(), Kind = KrpcQueryKind.Ping, Sender = forged }), forger);
        honest.Bootstrap([network.Members[0].EndPoint]);
        network.RunUntil(() => false, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(victim.Table.Nodes, n => n.Id == forged);
        Assert.Contains(victim.Table.Nodes, n => n.Id == honest.Id);
        Assert.Equal(NodeState.Good, victim.Table.StateOf(honest.Id));
    }

    [Fact]
    public void Bootstrap_retries_with_back_off_until_a_node_answers()
    {
        var network = new SimulatedNetwork(seed: 4);
        DhtNode lonely = network.Add();
        IPEndPoint silent = new(IPAddress.Parse("10.9.9.9"), 6881);
        lonely.Bootstrap([silent]);
        network.RunUntil(() => false, TimeSpan.FromMinutes(1));

        // Sent at 0 s, then after 5, 10 and 20 s more: 0, 5, 15 and 35 s; the next waits until 75 s.
        Assert.Equal(4, network.Lost);
        Assert.Equal(0, lonely.State.RoutingTableSize);
        Assert.Equal(0, lonely.State.PendingQueries);

        DhtNode helper = network.Add();
        lonely.Bootstrap([network.Members[1].EndPoint]);
        network.RunUntil(() => lonely.State.RoutingTableSize > 0, TimeSpan.FromMinutes(1));
        Assert.Contains(lonely.Table.Nodes, n => n.Id == helper.Id);
    }

    [Fact]
    public async Task Two_services_over_loopback_udp_announce_and_find_a_peer()
    {
        await using var first = new DhtService(0);
        await using var second = new DhtService(0);
        await first.StartAsync([]);
        await second.StartAsync([new IPEndPoint(IPAddress.Loopback, first.Port)]);
        for (int i = 0; i < 100 && (second.State.RoutingTableSize == 0 || first.State.RoutingTableSize == 0); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, second.State.RoutingTableSize);
        NodeId infoHash = NodeId.CreateRandom();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await second.AnnounceAsync(infoHash, 7000, timeout.Token);
        for (int i = 0; i < 100 && first.State.StoredPeers == 0; i++)
        {
            await Task.Delay(50);
        }

        IReadOnlyList<IPEndPoint> peers = await first.GetPeersAsync(infoHash, timeout.Token);
        Assert.Contains(peers, p => p.Port == 7000 && IPAddress.IsLoopback(p.Address));

        string path = Path.GetTempFileName();
        await second.SaveAsync(path);
        Assert.Single(await DhtService.LoadAsync(path));

        // The next run of the node keeps its id: other nodes' tables still know it by that.
        await using var again = new DhtService(0);
        await again.ResumeIdAsync(path);
        Assert.Equal(second.State.Id, again.State.Id);
        File.Delete(path);
    }

    [Fact]
    public void A_saved_id_is_taken_unless_it_does_not_conform_to_the_external_address_known_by_then()
    {
        var network = new SimulatedNetwork(seed: 8);
        DhtNode node = network.Add();
        NodeId saved = NodeId.Parse("0102030405060708090a0b0c0d0e0f1011121314");
        node.UseSavedId(saved);
        Assert.Equal(saved, node.Id);

        node.UseExternalAddress(IPAddress.Parse("198.51.100.7"));
        NodeId conforming = node.Id;
        node.UseSavedId(saved);
        Assert.Equal(conforming, node.Id);
    }
}
