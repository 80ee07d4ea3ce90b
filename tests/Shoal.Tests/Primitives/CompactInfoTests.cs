using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Tests.Primitives;

public class CompactInfoTests
{
    private static readonly IPEndPoint[] Peers =
    [
        IPEndPoint.Parse("10.1.2.3:6881"),
        IPEndPoint.Parse("[2001:db8::1]:51413"),
        IPEndPoint.Parse("[::ffff:192.0.2.7]:80"),
    ];

    [Fact]
    public void Peers_of_each_family_are_written_in_network_order_with_mapped_addresses_as_ipv4()
    {
        byte[] ipv4 = CompactInfo.EncodePeers(Peers, AddressFamily.InterNetwork);
        byte[] ipv6 = CompactInfo.EncodePeers(Peers, AddressFamily.InterNetworkV6);

        Assert.Equal<byte>([10, 1, 2, 3, 0x1A, 0xE1, 192, 0, 2, 7, 0, 80], ipv4);
        Assert.Equal(CompactInfo.IPv6PeerLength, ipv6.Length);
        var read = new List<IPEndPoint>();
        Assert.True(CompactInfo.TryReadPeers(ipv4, AddressFamily.InterNetwork, read));
        Assert.True(CompactInfo.TryReadPeers(ipv6, AddressFamily.InterNetworkV6, read));
        Assert.Equal([Peers[0], IPEndPoint.Parse("192.0.2.7:80"), Peers[1]], read);
    }

    [Fact]
    public void A_list_that_is_not_a_whole_number_of_entries_reads_nothing()
    {
        var peers = new List<IPEndPoint>();
        var nodes = new List<CompactNode>();

        Assert.False(CompactInfo.TryReadPeers(new byte[13], AddressFamily.InterNetwork, peers));
        Assert.False(CompactInfo.TryReadNodes(new byte[39], AddressFamily.InterNetworkV6, nodes));
        Assert.False(CompactInfo.TryReadPeer(new byte[7], out _));
        Assert.Empty(peers);
        Assert.Empty(nodes);
    }

    [Fact]
    public void At_most_the_peers_asked_for_are_read()
    {
        var peers = new List<IPEndPoint>();

        Assert.True(CompactInfo.TryReadPeers(new byte[10 * CompactInfo.IPv4PeerLength], AddressFamily.InterNetwork, peers, maxPeers: 3));
        Assert.Equal(3, peers.Count);
    }

    [Fact]
    public void Nodes_are_an_id_then_a_peer()
    {
        UInt160 id = UInt160.Read([.. Enumerable.Range(1, UInt160.Size).Select(i => (byte)i)]);
        CompactNode[] nodes = [.. Peers.Select(p => new CompactNode(id, p))];

        byte[] ipv4 = CompactInfo.EncodeNodes(nodes, AddressFamily.InterNetwork);
        byte[] ipv6 = CompactInfo.EncodeNodes(nodes, AddressFamily.InterNetworkV6);

        Assert.Equal(2 * 26, ipv4.Length);
        Assert.Equal(38, ipv6.Length);
        var read = new List<CompactNode>();
        Assert.True(CompactInfo.TryReadNodes(ipv6, AddressFamily.InterNetworkV6, read));
        Assert.Equal([nodes[1]], read);
    }
}
