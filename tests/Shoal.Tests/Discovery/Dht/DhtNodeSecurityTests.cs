using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Dht;

/// <summary>BEP 42 in the node: the ip it tells and hears, the id it takes for its external address, the ids it prefers.</summary>
public sealed class DhtNodeSecurityTests
{
    private static readonly IPEndPoint Querier = new(IPAddress.Parse("198.51.100.7"), 5000);

    [Fact]
    public void Our_answers_tell_the_querier_the_address_we_saw_it_at()
    {
        var sent = new SentDatagrams();
        var node = new DhtNode(NodeId.CreateRandom(new Random(1)), sent, new ManualTimeProvider());
        node.Receive(KrpcEncoder.Encode(new KrpcQuery { TransactionId = "aa"u8.ToArray(), Kind = KrpcQueryKind.Ping, Sender = NodeId.CreateRandom(new Random(2)) }), Querier);

        KrpcResponse answer = sent.Datagrams.Select(d => KrpcDecoder.Decode(d.Datagram)).OfType<KrpcResponse>().Single();
        Assert.Equal(Querier, answer.Requester);
    }

    [Fact]
    public void The_ip_key_sits_at_the_top_level_and_survives_a_round_trip()
    {
        var response = new KrpcResponse { TransactionId = "aa"u8.ToArray(), Sender = NodeId.Read("mnopqrstuvwxyz123456"u8), Requester = new IPEndPoint(IPAddress.Parse("124.31.75.21"), 6881) };
        byte[] bytes = KrpcEncoder.Encode(response);

        Assert.Equal("d2:ip6:|\u001fK\u0015\u001a\u00e11:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal(response.Requester, KrpcDecoder.Decode(bytes).Requester);
        Assert.Null(KrpcDecoder.Decode("d2:ip3:abc1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re"u8.ToArray()).Requester);
    }

    [Fact]
    public async Task Nodes_that_agree_on_our_address_give_every_node_a_conforming_id_and_lookups_still_work()
    {
        // A network this small has each node hear from few others before its buckets are due for a refresh: a quorum of two.
        var network = new SimulatedNetwork(seed: 42);
        for (int n = 1; n <= 8; n++)
        {
            network.Add(new DhtNodeOptions { ExternalAddressQuorum = 2 }, IPAddress.Parse($"198.51.100.{n}"));
        }

        var voted = new List<IPAddress>();
        network.Members[0].Node.ExternalAddressVoted += voted.Add;
        foreach (var (_, node) in network.Members.Skip(1))
        {
            node.Bootstrap([network.Members[0].EndPoint]);
        }

        network.RunUntil(() => network.Members.All(m => m.Node.State.IdConforms == true), TimeSpan.FromMinutes(5));
        Assert.Equal([network.Members[0].EndPoint.Address], voted);
        foreach (var (endPoint, node) in network.Members)
        {
            Assert.Equal(endPoint.Address, node.ExternalAddress);
            Assert.True(NodeIdRestriction.Conforms(node.Id, endPoint.Address));
        }

        NodeId infoHash = NodeId.CreateRandom(new Random(7));
        DhtLookup announce = network.Members[7].Node.Announce(infoHash, 7000);
        network.RunUntil(() => announce.IsComplete, TimeSpan.FromMinutes(1));
        DhtLookup lookup = network.Members[3].Node.GetPeers(infoHash);
        network.RunUntil(() => lookup.IsComplete, TimeSpan.FromMinutes(1));
        Assert.Contains(new IPEndPoint(network.Members[7].EndPoint.Address, 7000), (await lookup.Completion).Peers);
    }

    [Fact]
    public async Task A_node_that_took_a_new_id_after_we_learnt_of_it_still_answers_our_lookup_and_gets_our_announce()
    {
        var network = new SimulatedNetwork(seed: 11);
        DhtNode router = network.Add(address: IPAddress.Parse("198.51.100.1"));
        DhtNode alice = network.Add(address: IPAddress.Parse("198.51.100.2"));
        DhtNode bob = network.Add(address: IPAddress.Parse("198.51.100.3"));
        alice.Bootstrap([network.Members[0].EndPoint]);
        bob.Bootstrap([network.Members[0].EndPoint]);
        network.RunUntil(() => alice.Table.Count > 0 && bob.Table.Count > 0, TimeSpan.FromMinutes(1));
        NodeId before = router.Id;

        // The router learns its address and moves to a conforming id (BEP 42), as new nodes do in their first minute;
        // Alice and Bob still know it by its old id.
        router.UseExternalAddress(IPAddress.Parse("198.51.100.1"));
        Assert.NotEqual(before, router.Id);

        NodeId infoHash = NodeId.CreateRandom(new Random(5));
        DhtLookup announce = alice.Announce(infoHash, 7000);
        network.RunUntil(() => announce.IsComplete, TimeSpan.FromMinutes(1));

        // The lookup ends once announce_peer is sent; the router stores Alice when it arrives.
        network.RunUntil(() => router.State.StoredPeers > 0, TimeSpan.FromSeconds(10));
        Assert.Equal(1, router.State.StoredPeers);
        DhtLookup lookup = bob.GetPeers(infoHash);
        network.RunUntil(() => lookup.IsComplete, TimeSpan.FromMinutes(1));
        Assert.True(lookup.IsComplete, "Bob's lookup did not end within a virtual minute");
        Assert.Contains(new IPEndPoint(network.Members[1].EndPoint.Address, 7000), (await lookup.Completion).Peers);
    }

    [Fact]
    public void An_address_from_outside_gives_a_conforming_id_unless_it_is_a_local_one()
    {
        var node = new DhtNode(NodeId.Parse("0000000000000000000000000000000000000000"), new SentDatagrams(), new ManualTimeProvider(), random: new Random(3));
        NodeId? changedTo = null;
        node.IdChanged += id => changedTo = id;

        node.UseExternalAddress(IPAddress.Parse("192.168.1.5"));
        Assert.Null(changedTo);
        Assert.True(node.State.IdConforms);

        node.UseExternalAddress(IPAddress.Parse("::ffff:198.51.100.9"));
        Assert.Equal(node.Id, changedTo);
        Assert.Equal(IPAddress.Parse("198.51.100.9"), node.State.ExternalAddress);
        Assert.True(NodeIdRestriction.Conforms(node.Id, IPAddress.Parse("198.51.100.9")));
        Assert.True(node.State.IdConforms);
    }

    [Fact]
    public void A_full_bucket_gives_a_nonconforming_nodes_place_to_a_conforming_one_but_not_the_other_way()
    {
        var random = new Random(9);
        var self = NodeId.Parse("0000000000000000000000000000000000000000");
        var table = new RoutingTable(self, new ManualTimeProvider());
        for (int n = 1; n <= 8; n++)
        {
            table.Heard(new NodeInfo(self.RandomWithPrefix(0, random), new IPEndPoint(IPAddress.Parse($"198.51.100.{n}"), 6881)), responded: true);
        }

        NodeInfo late = new(self.RandomWithPrefix(0, random), new IPEndPoint(IPAddress.Parse("198.51.100.50"), 6881));
        table.Heard(late, responded: true);
        Assert.DoesNotContain(late, table.Nodes);

        // Addresses whose conforming ids start with a 1 bit land in the far bucket of an all-zero id.
        NodeInfo conforming = Enumerable.Range(60, 100)
            .Select(n => IPAddress.Parse($"198.51.100.{n}"))
            .Select(a => new NodeInfo(NodeIdRestriction.Generate(a, random), new IPEndPoint(a, 6881)))
            .First(n => self.CommonPrefixLength(n.Id) == 0);
        table.Heard(conforming, responded: true);

        Assert.Contains(conforming, table.Nodes);
        Assert.Equal(8, table.Nodes.Count(n => self.CommonPrefixLength(n.Id) == 0));
    }

    [Fact]
    public void A_node_a_peer_named_is_pinged_and_joins_both_tables()
    {
        var network = new SimulatedNetwork(seed: 11);
        DhtNode first = network.Add();
        DhtNode second = network.Add();
        first.Contact(network.Members[1].EndPoint);
        network.RunUntil(() => first.Table.Count > 0 && second.Table.Count > 0, TimeSpan.FromSeconds(30));

        Assert.Contains(first.Table.Nodes, n => n.Id == second.Id);
        Assert.Contains(second.Table.Nodes, n => n.Id == first.Id);
    }

    [Fact]
    public void Nodes_peers_name_are_pinged_sixteen_a_second_at_most_and_known_ones_not_again()
    {
        var sent = new SentDatagrams();
        var node = new DhtNode(NodeId.CreateRandom(new Random(1)), sent, new ManualTimeProvider());
        for (int n = 1; n <= 20; n++)
        {
            node.Contact(new IPEndPoint(IPAddress.Parse($"198.51.100.{n}"), 6881));
        }

        Assert.Equal(16, sent.Datagrams.Count);
        node.Tick();
        node.Contact(new IPEndPoint(IPAddress.Parse("198.51.100.20"), 6881));
        Assert.Equal(17, sent.Datagrams.Count);
    }

    [Fact]
    public void A_node_whose_every_contact_went_bad_bootstraps_again()
    {
        var network = new SimulatedNetwork(seed: 12);
        DhtNode lonely = network.Add();
        DhtNode router = network.Add();
        IPEndPoint routerAt = network.Members[1].EndPoint;
        lonely.Bootstrap([routerAt]);
        network.RunUntil(() => lonely.State.GoodNodes > 0, TimeSpan.FromSeconds(30));

        // The router goes away long enough for bucket refreshes to find it dead twice (BEP 5: bad after failures).
        network.Remove(routerAt);
        network.RunUntil(() => false, TimeSpan.FromMinutes(45));
        Assert.Equal(NodeState.Bad, lonely.Table.StateOf(router.Id));

        network.Restore(routerAt);
        network.RunUntil(() => lonely.Table.StateOf(router.Id) == NodeState.Good, TimeSpan.FromMinutes(10));
        Assert.Equal(NodeState.Good, lonely.Table.StateOf(router.Id));
    }

    private sealed class SentDatagrams : IDatagramSender
    {
        public List<(byte[] Datagram, IPEndPoint To)> Datagrams { get; } = [];

        public void Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination) => Datagrams.Add((datagram.ToArray(), destination));
    }
}
