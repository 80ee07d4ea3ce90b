using System.Net;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>The swarm's BEP 9 serving and BEP 11 exchange, message by message.</summary>
public class TorrentSwarmExtensionTests
{
    private const byte PeerMetadataId = 5;
    private const byte PeerPexId = 6;
    private static readonly byte[] Info = TempFolder.RandomBytes((2 * MetadataMessage.PieceSize) + 321, 9);

    private static SwarmHarness Harness(bool isPrivate = false) =>
        new(4, 32 * 1024, 1000, SwarmHarness.All, adjust: t => t with { InfoBytes = Info, IsPrivate = isPrivate });

    private static ExtensionHandshake OurHandshake(RecordingLink link) =>
        ExtensionHandshake.Parse(link.TakeMessages().First(m => m.Id == MessageId.Extended && m.ExtendedId == 0).Payload);

    /// <summary>A peer that sends its extension handshake, with a listen port.</summary>
    private static (SwarmPeer Peer, RecordingLink Link) Join(SwarmHarness harness, ushort port, PeerTransport transport = PeerTransport.Tcp, bool encrypted = false)
    {
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal, transport: transport, encrypted: encrypted);
        var handshake = new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = PeerMetadataId, [PexMessage.ExtensionName] = PeerPexId },
            ListenPort = port,
        };
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, 0, handshake.Encode()));
        return (peer, link);
    }

    [Fact]
    public void The_handshake_offers_the_metadata_and_pex()
    {
        (_, RecordingLink link) = Harness().Connect(ReservedBits.Shoal);
        ExtensionHandshake ours = OurHandshake(link);
        Assert.Equal(Info.Length, ours.MetadataSize);
        Assert.Equal(LocalExtensionIds.UtMetadata, ours.Extensions[MetadataMessage.ExtensionName]);
        Assert.Equal(LocalExtensionIds.UtPex, ours.Extensions[PexMessage.ExtensionName]);
    }

    [Fact]
    public void The_handshake_gives_the_listen_port_of_now_and_peers_yourip_is_kept_for_the_session()
    {
        SwarmHarness harness = Harness();
        harness.Swarm.ListenPort = 40001;
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal, IPAddress.Parse("10.0.0.9"));
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, 0, new ExtensionHandshake { Extensions = new Dictionary<string, byte>(), YourIp = IPAddress.Parse("203.0.113.7") }.Encode()));

        Assert.Equal((ushort?)40001, OurHandshake(link).ListenPort);
        Assert.Equal([(IPAddress.Parse("10.0.0.9"), IPAddress.Parse("203.0.113.7"))], harness.Swarm.TakeAddressReports());
        Assert.Empty(harness.Swarm.TakeAddressReports());
    }

    [Fact]
    public void A_private_torrent_offers_its_metadata_but_not_pex()
    {
        (_, RecordingLink link) = Harness(isPrivate: true).Connect(ReservedBits.Shoal);
        ExtensionHandshake ours = OurHandshake(link);
        Assert.Equal(Info.Length, ours.MetadataSize);
        Assert.False(ours.Extensions.ContainsKey(PexMessage.ExtensionName));
    }

    [Fact]
    public void Metadata_requests_get_their_16_KiB_piece_and_one_past_the_end_is_rejected()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer peer, RecordingLink link) = Join(harness, 1);
        link.TakeMessages();
        foreach (int piece in new[] { 2, 0, 3 })
        {
            harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtMetadata, MetadataMessage.Request(piece).Encode()));
        }

        MetadataMessage[] answers = [.. link.TakeMessages().Where(m => m.ExtendedId == PeerMetadataId).Select(m => MetadataMessage.Parse(m.Payload))];
        Assert.Equal([2, 0, 3], answers.Select(a => a.Piece));
        Assert.Equal(Info.AsSpan(2 * MetadataMessage.PieceSize).ToArray(), answers[0].Data.ToArray());
        Assert.Equal(Info.AsSpan(0, MetadataMessage.PieceSize).ToArray(), answers[1].Data.ToArray());
        Assert.Equal(Info.Length, answers[0].TotalSize);
        Assert.Equal(MetadataMessageType.Reject, answers[2].Type);
    }

    [Fact]
    public void Metadata_requests_are_rejected_while_four_answers_wait_unsent()
    {
        SwarmHarness harness = Harness();
        (SwarmPeer peer, RecordingLink link) = Join(harness, 1);
        link.TakeMessages();
        link.QueuedBytes = 4 * MetadataMessage.PieceSize;
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtMetadata, MetadataMessage.Request(0).Encode()));
        link.QueuedBytes = (4 * MetadataMessage.PieceSize) - 1;
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtMetadata, MetadataMessage.Request(0).Encode()));

        MetadataMessage[] answers = [.. link.TakeMessages().Where(m => m.ExtendedId == PeerMetadataId).Select(m => MetadataMessage.Parse(m.Payload))];
        Assert.Equal([MetadataMessageType.Reject, MetadataMessageType.Data], answers.Select(a => a.Type));
    }

    [Fact]
    public void Each_peer_hears_of_the_others_with_a_listen_port_at_most_once_a_minute()
    {
        SwarmHarness harness = Harness();
        (_, RecordingLink first) = Join(harness, 1001);
        (_, RecordingLink second) = Join(harness, 1002);
        harness.Connect(ReservedBits.Shoal);
        first.TakeMessages();
        second.TakeMessages();

        harness.Swarm.Tick();
        PexMessage toFirst = Pex(first).Single();
        Assert.Equal([new IPEndPoint(second.Remote.Address, 1002)], toFirst.Added.Select(p => p.EndPoint));
        Assert.Equal(0, toFirst.Added[0].Flags);
        Assert.Equal([new IPEndPoint(first.Remote.Address, 1001)], Pex(second).Single().Added.Select(p => p.EndPoint));

        (_, RecordingLink third) = Join(harness, 1003);
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        harness.Swarm.Tick();
        Assert.Empty(Pex(first));
        harness.Time.Advance(TimeSpan.FromSeconds(31));
        harness.Swarm.Tick();
        Assert.Equal([new IPEndPoint(third.Remote.Address, 1003)], Pex(first).Single().Added.Select(p => p.EndPoint));
    }

    [Fact]
    public void Pex_flags_say_which_peers_speak_utp_and_chose_encryption()
    {
        SwarmHarness harness = Harness();
        (_, RecordingLink listener) = Join(harness, 1001);
        Join(harness, 1002, PeerTransport.Utp);
        Join(harness, 1003, PeerTransport.Tcp, encrypted: true);
        listener.TakeMessages();

        harness.Swarm.Tick();

        Dictionary<int, byte> flags = Pex(listener).Single().Added.ToDictionary(p => p.EndPoint.Port, p => p.Flags);
        Assert.Equal(PexPeer.UtpFlag, flags[1002]);
        Assert.Equal(PexPeer.EncryptionFlag, flags[1003]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Peers_from_pex_are_handed_on_unless_the_torrent_is_private(bool isPrivate)
    {
        SwarmHarness harness = Harness(isPrivate);
        (SwarmPeer peer, _) = Join(harness, 1);
        var message = new PexMessage { Added = [new PexPeer(IPEndPoint.Parse("192.0.2.7:6881"), 0)] };
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtPex, message.Encode()));

        IReadOnlyList<IPEndPoint> discovered = harness.Swarm.TakeDiscoveredPeers();
        Assert.Equal(isPrivate ? [] : [IPEndPoint.Parse("192.0.2.7:6881")], discovered);
        Assert.Empty(harness.Swarm.TakeDiscoveredPeers());
    }

    [Theory]
    [InlineData("203.0.113.9", "198.51.100.1:6881", true)]
    [InlineData("203.0.113.9", "198.51.100.1:0", false)]
    [InlineData("203.0.113.9", "0.0.0.0:6881", false)]
    [InlineData("203.0.113.9", "[::]:6881", false)]
    [InlineData("203.0.113.9", "224.0.0.1:6881", false)]
    [InlineData("203.0.113.9", "[ff02::1]:6881", false)]
    [InlineData("203.0.113.9", "255.255.255.255:6881", false)]
    [InlineData("203.0.113.9", "127.0.0.1:6881", false)]
    [InlineData("203.0.113.9", "192.168.1.5:6881", false)]
    [InlineData("203.0.113.9", "10.1.2.3:6881", false)]
    [InlineData("203.0.113.9", "169.254.1.1:6881", false)]
    [InlineData("203.0.113.9", "[fe80::1]:6881", false)]
    [InlineData("203.0.113.9", "[fd00::1]:6881", false)]
    [InlineData("192.168.1.2", "192.168.1.5:6881", true)]
    [InlineData("127.0.0.1", "127.0.0.1:6881", true)]
    [InlineData("192.168.1.2", "198.51.100.1:6881", true)]
    public void Peers_from_pex_are_filtered_and_local_ones_come_only_from_a_local_sender(string sender, string offered, bool taken)
    {
        SwarmHarness harness = Harness();
        (SwarmPeer peer, _) = harness.Connect(ReservedBits.Shoal, IPAddress.Parse(sender));
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, 0, new ExtensionHandshake { Extensions = new Dictionary<string, byte> { [PexMessage.ExtensionName] = PeerPexId } }.Encode()));
        var message = new PexMessage { Added = [new PexPeer(IPEndPoint.Parse(offered), 0)] };
        harness.Send(peer, o => PeerMessageWriter.WriteExtended(o, LocalExtensionIds.UtPex, message.Encode()));

        Assert.Equal(taken ? [IPEndPoint.Parse(offered)] : [], harness.Swarm.TakeDiscoveredPeers());
    }

    private static List<PexMessage> Pex(RecordingLink link) =>
        [.. link.TakeMessages().Where(m => m.Id == MessageId.Extended && m.ExtendedId == PeerPexId).Select(m => PexMessage.Parse(m.Payload, 200))];
}
