using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Dht;

public sealed class RoutingTableTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly Random _random = new(5);
    private readonly NodeId _self = NodeId.CreateRandom(new Random(1));
    private int _port = 1;

    private NodeInfo NodeWithPrefix(int bits) => new(_self.RandomWithPrefix(bits, _random), new IPEndPoint(IPAddress.Loopback, _port++));

    [Fact]
    public void Far_bucket_holds_k_and_does_not_split()
    {
        var table = new RoutingTable(_self, _time);
        for (int i = 0; i < 20; i++)
        {
            table.Heard(NodeWithPrefix(0), responded: true);
        }

        // The first split separates the far half; the far bucket then stays at k and never splits again.
        Assert.Equal(KBucketSize, table.Nodes.Count(n => _self.CommonPrefixLength(n.Id) == 0));
        Assert.Equal(2, table.BucketCount);
    }

    [Fact]
    public void Own_bucket_splits_so_close_nodes_fit()
    {
        var table = new RoutingTable(_self, _time);
        for (int bits = 0; bits < 10; bits++)
        {
            for (int i = 0; i < KBucketSize; i++)
            {
                table.Heard(NodeWithPrefix(bits), responded: true);
            }
        }

        Assert.Equal(10 * KBucketSize, table.Count);
        Assert.True(table.BucketCount >= 10);
        Assert.All(table.Nodes, n => Assert.True(table.BucketIndexOf(n.Id) <= 10));
    }

    [Fact]
    public void Full_bucket_returns_questionable_node_to_ping_and_bad_node_gives_way_to_replacement()
    {
        var table = new RoutingTable(_self, _time);
        var far = Enumerable.Range(0, KBucketSize).Select(_ => NodeWithPrefix(0)).ToList();
        table.Heard(NodeWithPrefix(5), responded: true);
        far.ForEach(n => table.Heard(n, responded: true));

        NodeInfo newcomer = NodeWithPrefix(0);
        Assert.Null(table.Heard(newcomer, responded: true));
        _time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(NodeState.Questionable, table.StateOf(far[0].Id));
        Assert.NotNull(table.Heard(NodeWithPrefix(0), responded: true));

        table.Failed(far[3].Id, far[3].EndPoint);
        Assert.Equal(NodeState.Questionable, table.StateOf(far[3].Id));
        table.Failed(far[3].Id, far[3].EndPoint);
        Assert.Null(table.StateOf(far[3].Id));
        Assert.Equal(KBucketSize, table.Nodes.Count(n => _self.CommonPrefixLength(n.Id) == 0));
    }

    [Fact]
    public void Unverified_nodes_do_not_displace_and_closest_is_sorted_by_xor()
    {
        var table = new RoutingTable(_self, _time);
        for (int i = 0; i < 200; i++)
        {
            table.Heard(new NodeInfo(NodeId.CreateRandom(_random), new IPEndPoint(IPAddress.Loopback, _port++)), responded: i % 2 == 0);
        }

        NodeId target = NodeId.CreateRandom(_random);
        List<NodeInfo> closest = table.Closest(target, 8);
        Assert.Equal(closest.OrderBy(n => n.Id.Xor(target)), closest);
        Assert.True(table.Count <= RoutingTable.Capacity);
    }

    [Fact]
    public void Stale_buckets_yield_refresh_targets_once()
    {
        var table = new RoutingTable(_self, _time);
        table.Heard(NodeWithPrefix(0), responded: true);
        Assert.Empty(table.TakeRefreshTargets(_random));
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Single(table.TakeRefreshTargets(_random));
        Assert.Empty(table.TakeRefreshTargets(_random));
    }

    private const int KBucketSize = 8;
}
