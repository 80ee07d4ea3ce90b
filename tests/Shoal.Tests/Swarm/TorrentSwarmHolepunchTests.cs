using System.Net;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>The swarm's BEP 55 roles, message by message: relay, initiator, and target of a connect.</summary>
public class TorrentSwarmHolepunchTests
{
    private const byte PeerPexId = 6;
    private const byte PeerHolepunchId = 7;
    private const int OurPort = 6881;
    private static readonly IPAddress Initiator = IPAddress.Parse("10.0.1.1");
    private static readonly IPAddress Target = IPAddress.Parse("10.0.1.2");
    private static readonly IPAddress SeenAsUs = IPAddress.Parse("10.0.1.100");

    private static SwarmHarness Harness(bool isPrivate = false) =>
        new(4, 32 * 1024, 1000, SwarmHarness.All, SwarmSettings.Default with { ListenPort = OurPort }, adjust: t => t with { IsPrivate = isPrivate });

    /// <summary>A peer that sends its extension handshake (ut_pex, and ut_holepunch when <paramref name="holepunch"/>) with a listen port.</summary>
    private static (SwarmPeer Peer, RecordingLink Link) Join(
        SwarmHarness harness, IPAddress address, ushort port, bool holepunch = true, PeerTransport transport = PeerTransport.Tcp)
    {
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal, address, transport: transport);
        var extensions = new Dictionary<string, byte> { [PexMessage.ExtensionName] = PeerPexId };
        if (holepunch)
        {
            extensions[HolepunchMessage.ExtensionName] = PeerHolepunchId;
        }

        var handshake = new ExtensionHandshake { Extensions = extensions, ListenPort = port, YourIp = SeenAsUs };
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, 0, handshake.Encode()));
        link.TakeMessages();
        return (peer, link);
    }

    private static void Send(SwarmHarness harness, SwarmPeer peer, HolepunchMessage message) =>
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtHolepunch, message.Encode()));

    private static List<HolepunchMessage> Holepunch(RecordingLink link) =>
        [.. link.TakeMessages().Where(m => m.Id == MessageId.Extended && m.ExtendedId == PeerHolepunchId).Select(m => HolepunchMessage.Parse(m.Payload))];

    private static HolepunchMessage Rendezvous(string target) => new(HolepunchMessageType.Rendezvous, IPEndPoint.Parse(target));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_handshake_offers_ut_holepunch_unless_the_torrent_is_private(bool isPrivate)
    {
        (_, RecordingLink link) = Harness(isPrivate).Connect(ReservedBits.Shoal);
        ExtensionHandshake ours = ExtensionHandshake.Parse(link.TakeMessages().First(m => m.Id == MessageId.Extended && m.ExtendedId == 0).Payload);
        Assert.Equal(isPrivate ? null : LocalExtensionIds.UtHolepunch, ours.Extensions.TryGetValue(HolepunchMessage.ExtensionName, out byte id) ? id : (byte?)null);
    }

    [Fact]
    public void Pex_marks_the_peers_that_offered_ut_holepunch()
    {
        SwarmHarness harness = Harness();
        (_, RecordingLink listener) = Join(harness, Initiator, 1001);
        Join(harness, Target, 1002);
        Join(harness, IPAddress.Parse("10.0.1.3"), 1003, holepunch: false);

        harness.Swarm.Tick();

        PexMessage pex = PexMessage.Parse(listener.TakeMessages().Single(m => m.Id == MessageId.Extended && m.ExtendedId == PeerPexId).Payload, 200);
        Dictionary<int, byte> flags = pex.Added.ToDictionary(p => p.EndPoint.Port, p => p.Flags);
        Assert.Equal(PexPeer.HolepunchFlag, flags[1002]);
        Assert.Equal(0, flags[1003]);
    }

    /// <summary>
    /// The target is named by its listen endpoint, as PEX gave it, or where its connection comes from. The initiator,
    /// on TCP, is sent to the target at its listen port; the target, on uTP, to the initiator where its datagrams come
    /// from (its router's mapping).
    /// </summary>
    [Theory]
    [InlineData("10.0.1.2:1002")]
    [InlineData("10.0.1.2:6881")]
    public void A_rendezvous_sends_connect_to_both_each_naming_the_other(string target)
    {
        SwarmHarness harness = Harness();
        (SwarmPeer initiator, RecordingLink initiatorLink) = Join(harness, Initiator, 1001);
        (_, RecordingLink targetLink) = Join(harness, Target, 1002, transport: PeerTransport.Utp);

        Send(harness, initiator, Rendezvous(target));

        Assert.Equal([new HolepunchMessage(HolepunchMessageType.Connect, IPEndPoint.Parse("10.0.1.1:1001"))], Holepunch(targetLink));
        Assert.Equal([new HolepunchMessage(HolepunchMessageType.Connect, targetLink.Remote)], Holepunch(initiatorLink));
    }

    [Theory]
    [InlineData("10.0.9.9:1002", HolepunchError.NotConnected)]
    [InlineData("10.0.1.2:1002", HolepunchError.NoSupport)]
    [InlineData("10.0.1.1:1001", HolepunchError.NoSelf)]
    [InlineData("10.0.1.100:6881", HolepunchError.NoSelf)]
    [InlineData("10.0.1.2:0", HolepunchError.NoSuchPeer)]
    [InlineData("224.0.0.1:1002", HolepunchError.NoSuchPeer)]
    public void A_rendezvous_that_cannot_be_done_gets_the_beps_error_naming_the_endpoint_asked_for(string target, HolepunchError error)
    {
        SwarmHarness harness = Harness();
        (SwarmPeer initiator, RecordingLink initiatorLink) = Join(harness, Initiator, 1001);
        (_, RecordingLink targetLink) = Join(harness, Target, 1002, holepunch: false);

        Send(harness, initiator, Rendezvous(target));

        Assert.Equal([new HolepunchMessage(HolepunchMessageType.Error, IPEndPoint.Parse(target), error)], Holepunch(initiatorLink));
        Assert.DoesNotContain(targetLink.TakeMessages(), m => m.Id == MessageId.Extended && m.ExtendedId != PeerPexId);
    }

    [Fact]
    public void Holepunch_messages_from_a_peer_that_did_not_offer_ut_holepunch_are_ignored()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer initiator, RecordingLink initiatorLink) = Join(harness, Initiator, 1001, holepunch: false);
        (_, RecordingLink targetLink) = Join(harness, Target, 1002);

        Send(harness, initiator, Rendezvous("10.0.1.2:1002"));
        Send(harness, initiator, new HolepunchMessage(HolepunchMessageType.Connect, IPEndPoint.Parse("10.0.5.5:7000")));

        Assert.Empty(initiatorLink.TakeMessages());
        Assert.Empty(Holepunch(targetLink));
        Assert.Empty(harness.Swarm.TakeHolepunchNotices());
    }

    [Fact]
    public void A_peer_gets_ten_rendezvous_relayed_a_minute()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer initiator, RecordingLink initiatorLink) = Join(harness, Initiator, 1001);
        (_, RecordingLink targetLink) = Join(harness, Target, 1002);

        for (int i = 0; i < 11; i++)
        {
            Send(harness, initiator, Rendezvous("10.0.1.2:1002"));
        }

        Assert.Equal(10, Holepunch(targetLink).Count);
        Assert.Equal(10, Holepunch(initiatorLink).Count);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Send(harness, initiator, Rendezvous("10.0.1.2:1002"));
        Assert.Single(Holepunch(targetLink));
    }

    /// <summary>A dial that failed asks the peer that told us of the target (with PEX's 0x08 flag), once per five minutes.</summary>
    [Fact]
    public void A_failed_dial_asks_the_peer_that_introduced_the_target_for_a_rendezvous()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer relay, RecordingLink relayLink) = Join(harness, Initiator, 1001);
        IPEndPoint flagged = IPEndPoint.Parse("10.0.7.7:7000");
        IPEndPoint unflagged = IPEndPoint.Parse("10.0.7.8:7000");
        var pex = new PexMessage { Added = [new PexPeer(flagged, PexPeer.HolepunchFlag), new PexPeer(unflagged, PexPeer.UtpFlag)] };
        harness.Send(relay, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtPex, pex.Encode()));

        Assert.Null(harness.Swarm.RequestHolepunch(unflagged));
        Assert.Equal(relayLink.Remote, harness.Swarm.RequestHolepunch(flagged));
        Assert.Equal([Rendezvous("10.0.7.7:7000")], Holepunch(relayLink));

        Assert.Null(harness.Swarm.RequestHolepunch(flagged));
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(relayLink.Remote, harness.Swarm.RequestHolepunch(flagged));

        harness.Time.Advance(TimeSpan.FromMinutes(5));
        harness.Swarm.OnClosed(relay);
        Assert.Null(harness.Swarm.RequestHolepunch(flagged));
    }

    [Fact]
    public void After_a_relays_error_the_target_is_left_alone_for_15_minutes_and_the_error_goes_to_the_session()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer relay, RecordingLink relayLink) = Join(harness, Initiator, 1001);
        IPEndPoint target = IPEndPoint.Parse("10.0.7.7:7000");
        harness.Send(relay, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtPex, new PexMessage { Added = [new PexPeer(target, PexPeer.HolepunchFlag)] }.Encode()));
        Assert.NotNull(harness.Swarm.RequestHolepunch(target));

        var error = new HolepunchMessage(HolepunchMessageType.Error, target, HolepunchError.NotConnected);
        Send(harness, relay, error);

        Assert.Equal([new HolepunchNotice(error, relayLink.Remote)], harness.Swarm.TakeHolepunchNotices());
        harness.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Null(harness.Swarm.RequestHolepunch(target));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(harness.Swarm.RequestHolepunch(target));
    }

    [Fact]
    public void A_connect_goes_to_the_session_unless_that_peer_is_connected_or_on_a_network_the_relay_is_not()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer relay, RecordingLink relayLink) = Join(harness, Initiator, 1001);
        Join(harness, Target, 1002);
        var connect = new HolepunchMessage(HolepunchMessageType.Connect, IPEndPoint.Parse("10.0.5.5:7000"));

        Send(harness, relay, connect);
        Send(harness, relay, connect with { EndPoint = IPEndPoint.Parse("10.0.1.2:1002") });

        Assert.Equal([new HolepunchNotice(connect, relayLink.Remote)], harness.Swarm.TakeHolepunchNotices());
        Assert.Empty(harness.Swarm.TakeHolepunchNotices());
    }
}
