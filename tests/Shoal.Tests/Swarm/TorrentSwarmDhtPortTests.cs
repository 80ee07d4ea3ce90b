using System.Net;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>BEP 5's PORT message: sent to peers that run a DHT node, and read from them for the session's node to ping.</summary>
public class TorrentSwarmDhtPortTests
{
    private static readonly ReservedBits WithDht = ReservedBits.Shoal.WithDht(true);

    private static SwarmHarness Harness(int dhtPort) =>
        new(4, 32 * 1024, 1000, SwarmHarness.All, SwarmSettings.Default with { DhtPort = dhtPort });

    [Fact]
    public void A_peer_with_the_dht_bit_gets_our_dht_port_after_the_bitfield()
    {
        (_, RecordingLink link) = Harness(6881).Connect(WithDht);
        List<WireMessage> sent = link.TakeMessages();

        WireMessage port = Assert.Single(sent, m => m.Id == MessageId.Port);
        Assert.Equal(6881, port.Port);
        Assert.True(sent.FindIndex(m => m.Id is MessageId.HaveAll or MessageId.Bitfield) < sent.IndexOf(port));
    }

    [Fact]
    public void No_port_goes_to_a_peer_without_the_dht_bit_nor_from_a_session_without_a_dht()
    {
        (_, RecordingLink plain) = Harness(6881).Connect(ReservedBits.Shoal.WithDht(false));
        (_, RecordingLink noDht) = Harness(0).Connect(WithDht);

        Assert.DoesNotContain(plain.TakeMessages(), m => m.Id == MessageId.Port);
        Assert.DoesNotContain(noDht.TakeMessages(), m => m.Id == MessageId.Port);
    }

    [Fact]
    public void A_peers_port_names_its_dht_node_once()
    {
        SwarmHarness harness = Harness(6881);
        (SwarmPeer peer, _) = harness.Connect(WithDht, IPAddress.Parse("198.51.100.7"));
        harness.Send(peer, o => PeerMessageWriter.WritePort(o, 7000));
        harness.Send(peer, o => PeerMessageWriter.WritePort(o, 7000));

        Assert.Equal([new IPEndPoint(IPAddress.Parse("198.51.100.7"), 7000)], harness.Swarm.TakeDhtNodes());
        Assert.Empty(harness.Swarm.TakeDhtNodes());
    }

    [Fact]
    public void Ports_are_ignored_without_a_dht_of_our_own_and_bounded_with_one()
    {
        SwarmHarness without = Harness(0);
        (SwarmPeer lone, _) = without.Connect(WithDht);
        without.Send(lone, o => PeerMessageWriter.WritePort(o, 7000));
        Assert.Empty(without.Swarm.TakeDhtNodes());

        SwarmHarness with = Harness(6881);
        (SwarmPeer chatty, _) = with.Connect(WithDht);
        for (ushort port = 1; port <= 200; port++)
        {
            ushort value = port;
            with.Send(chatty, o => PeerMessageWriter.WritePort(o, value));
        }

        Assert.Equal(64, with.Swarm.TakeDhtNodes().Count);
    }
}
