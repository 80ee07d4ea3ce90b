using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery;

public class UdpTrackerCodecTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Connect_request_has_the_BEP_15_layout()
    {
        var packet = new byte[16];
        Assert.Equal(16, UdpTrackerCodec.WriteConnectRequest(packet, new UdpConnectRequest(0x12345678)));
        Assert.Equal(Convert.FromHexString("0000041727101980" + "00000000" + "12345678"), packet);
        Assert.Equal(new UdpConnectRequest(0x12345678), UdpTrackerCodec.ReadRequest(packet));
        Assert.Equal(UdpTrackerAction.Connect, UdpTrackerCodec.ReadRequestAction(packet));
    }

    [Fact]
    public void Announce_request_has_the_BEP_15_layout()
    {
        var request = new UdpAnnounceRequest(
            ConnectionId: 0x0102030405060708,
            TransactionId: unchecked((int)0xDEADBEEF),
            InfoHash: new InfoHash(Enumerable.Repeat((byte)0xAA, 20).ToArray()),
            PeerId: Enumerable.Repeat((byte)0xBB, 20).ToArray(),
            Downloaded: 0x10,
            Left: 0x20,
            Uploaded: 0x30,
            Event: AnnounceEvent.Started,
            IPv4Address: 0,
            Key: 0xCAFEBABE,
            NumWant: -1,
            Port: 6881);
        byte[] expected = Convert.FromHexString(
            "0102030405060708" // connection_id
            + "00000001" // action: announce
            + "DEADBEEF" // transaction_id
            + string.Concat(Enumerable.Repeat("AA", 20)) // info_hash
            + string.Concat(Enumerable.Repeat("BB", 20)) // peer_id
            + "0000000000000010" // downloaded
            + "0000000000000020" // left
            + "0000000000000030" // uploaded
            + "00000002" // event: 2 = started
            + "00000000" // IP address: default
            + "CAFEBABE" // key
            + "FFFFFFFF" // num_want: -1 = default
            + "1AE1"); // port 6881
        var packet = new byte[200];
        Assert.Equal(98, UdpTrackerCodec.WriteAnnounceRequest(packet, request));
        Assert.Equal(expected, packet[..98]);
        Assert.Equal(request, UdpTrackerCodec.ReadRequest(expected));

        // BEP 15: longer packets (extensions) are still read.
        Assert.Equal(request, UdpTrackerCodec.ReadAnnounceRequest([.. expected, 2, 0]));
    }

    [Fact]
    public void Events_use_the_BEP_15_numbers()
    {
        (AnnounceEvent Event, byte Code)[] codes = [(AnnounceEvent.None, 0), (AnnounceEvent.Completed, 1), (AnnounceEvent.Started, 2), (AnnounceEvent.Stopped, 3), (AnnounceEvent.Paused, 0)];
        foreach ((AnnounceEvent announceEvent, byte code) in codes)
        {
            var request = new UdpAnnounceRequest(1, 2, new InfoHash(new byte[20]), new byte[20], 0, 0, 0, announceEvent, 0, 0, -1, 1);
            var packet = new byte[98];
            UdpTrackerCodec.WriteAnnounceRequest(packet, request);
            Assert.Equal(code, packet[83]);
        }

        var bad = new byte[98];
        UdpTrackerCodec.WriteAnnounceRequest(bad, new UdpAnnounceRequest(1, 2, new InfoHash(new byte[20]), new byte[20], 0, 0, 0, AnnounceEvent.None, 0, 0, -1, 1));
        bad[83] = 4;
        Assert.Equal("unknown event 4", Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadRequest(bad)).Message);
    }

    [Fact]
    public void Every_request_reads_back_equal()
    {
        Check.One(Runs, Prop.ForAll(Arb.From(TrackerGenerators.UdpAnnounceRequests), request =>
        {
            var packet = new byte[UdpTrackerCodec.AnnounceRequestLength];
            UdpTrackerCodec.WriteAnnounceRequest(packet, request);
            return UdpTrackerCodec.ReadRequest(packet).Equals(request);
        }));
        Check.One(Runs, Prop.ForAll(Arb.From(TrackerGenerators.UdpScrapeRequests), request =>
        {
            var packet = new byte[1500];
            int length = UdpTrackerCodec.WriteScrapeRequest(packet, request);
            var parsed = (UdpScrapeRequest)UdpTrackerCodec.ReadRequest(packet.AsSpan(0, length));
            return length == 16 + (20 * request.InfoHashes.Count) && parsed.ConnectionId == request.ConnectionId
                && parsed.TransactionId == request.TransactionId && parsed.InfoHashes.SequenceEqual(request.InfoHashes);
        }));
        Check.One(Runs, Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<int>()), transactionId =>
        {
            var packet = new byte[16];
            UdpTrackerCodec.WriteConnectRequest(packet, new UdpConnectRequest(transactionId));
            return UdpTrackerCodec.ReadRequest(packet) == new UdpConnectRequest(transactionId);
        }));
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork, 6)]
    [InlineData(AddressFamily.InterNetworkV6, 18)]
    public void Every_announce_response_reads_back_equal_and_is_the_same_from_precompacted_peers(AddressFamily family, int stride)
    {
        Check.One(Runs, Prop.ForAll(Arb.From(TrackerGenerators.UdpAnnounceResponses(family)), response =>
        {
            var packet = new byte[20 + (stride * response.Peers.Count)];
            int length = UdpTrackerCodec.WriteAnnounceResponse(packet, response, family);
            var parsed = (UdpAnnounceResponse)UdpTrackerCodec.ReadResponse(packet, family);
            var fromCompact = new byte[packet.Length];
            int compactLength = UdpTrackerCodec.WriteAnnounceResponse(fromCompact, response.TransactionId, response.Interval, response.Leechers, response.Seeders, packet.AsSpan(20));
            return length == packet.Length && parsed with { Peers = [] } == response with { Peers = [] }
                && TrackerGenerators.SamePeers(response.Peers, parsed.Peers)
                && compactLength == length && fromCompact.SequenceEqual(packet);
        }));
    }

    [Fact]
    public void Request_header_names_the_action_connection_and_transaction()
    {
        var packet = new byte[UdpTrackerCodec.AnnounceRequestLength];
        UdpTrackerCodec.WriteConnectRequest(packet, new UdpConnectRequest(7));
        Assert.Equal(new UdpRequestHeader(UdpTrackerAction.Connect, UdpTrackerCodec.ProtocolId, 7), UdpTrackerCodec.ReadRequestHeader(packet));
        UdpTrackerCodec.WriteAnnounceRequest(packet, new UdpAnnounceRequest(-5, 9, new InfoHash(new byte[20]), new byte[20], 0, 0, 0, AnnounceEvent.None, 0, 0, -1, 1));
        Assert.Equal(new UdpRequestHeader(UdpTrackerAction.Announce, -5, 9), UdpTrackerCodec.ReadRequestHeader(packet));
        Assert.Equal("a request is at least 16 bytes, not 15", Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadRequestHeader(packet.AsSpan(0, 15))).Message);
    }

    [Fact]
    public void Announce_response_has_the_BEP_15_layout()
    {
        var response = new UdpAnnounceResponse(7, 1800, 3, 4, [new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.IPv6Loopback, 1)]);
        var packet = new byte[64];
        int length = UdpTrackerCodec.WriteAnnounceResponse(packet, response, AddressFamily.InterNetwork);
        Assert.Equal(Convert.FromHexString("00000001" + "00000007" + "00000708" + "00000003" + "00000004" + "0A000001" + "1AE1"), packet[..length]);
        length = UdpTrackerCodec.WriteAnnounceResponse(packet, response, AddressFamily.InterNetworkV6);
        Assert.Equal(Convert.FromHexString("00000001000000070000070800000003" + "00000004" + "00000000000000000000000000000001" + "0001"), packet[..length]);
        Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadAnnounceResponse(packet.AsSpan(0, length + 6), AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void Other_responses_read_back_equal()
    {
        var packet = new byte[1500];
        int length = UdpTrackerCodec.WriteConnectResponse(packet, new UdpConnectResponse(5, long.MinValue));
        Assert.Equal(new UdpConnectResponse(5, long.MinValue), UdpTrackerCodec.ReadResponse(packet.AsSpan(0, length), AddressFamily.InterNetwork));

        length = UdpTrackerCodec.WriteError(packet, new UdpErrorResponse(9, "torrent not registered ✗"));
        Assert.Equal(new UdpErrorResponse(9, "torrent not registered ✗"), UdpTrackerCodec.ReadResponse(packet.AsSpan(0, length), AddressFamily.InterNetwork));
        Assert.Equal(8 + 3, UdpTrackerCodec.WriteError(packet.AsSpan(0, 12), new UdpErrorResponse(9, "abc✗")));

        Check.One(Runs, Prop.ForAll(Arb.From(TrackerGenerators.UdpScrapeResponses), response =>
        {
            int written = UdpTrackerCodec.WriteScrapeResponse(packet, response);
            var parsed = (UdpScrapeResponse)UdpTrackerCodec.ReadResponse(packet.AsSpan(0, written), AddressFamily.InterNetworkV6);
            return written == 8 + (12 * response.Stats.Count) && parsed.TransactionId == response.TransactionId && parsed.Stats.SequenceEqual(response.Stats);
        }));
    }

    [Theory]
    [InlineData("", "a request is at least 16 bytes, not 0")]
    [InlineData("00000417271019800000000012345678FF", null)]
    [InlineData("000004172710198000000000123456", "a request is at least 16 bytes, not 15")]
    [InlineData("00000417271019810000000012345678", "connect request without the protocol id")]
    [InlineData("00000417271019800000000412345678", "unknown request action 4")]
    [InlineData("0000041727101980000000031234567800", "unknown request action 3")]
    [InlineData("00000000000000010000000112345678", "Announce request is at least 98 bytes, not 16")]
    [InlineData("00000000000000010000000212345678", "Scrape request is at least 36 bytes, not 16")]
    [InlineData("000000000000000100000002123456780000000000000000000000000000000000000000AA", "scrape request info-hashes are 21 bytes, not a multiple of 20")]
    public void Server_reader_rejects_short_and_garbage_requests(string hex, string? message)
    {
        byte[] packet = Convert.FromHexString(hex);
        if (message is null)
        {
            Assert.IsType<UdpConnectRequest>(UdpTrackerCodec.ReadRequest(packet));
            return;
        }

        Assert.Equal(message, Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadRequest(packet)).Message);
    }

    [Fact]
    public void Scrape_requests_are_capped_at_74_hashes()
    {
        var packet = new byte[16 + (20 * 75)];
        packet[11] = 2;
        Assert.Equal("scrape request for 75 torrents, more than 74", Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadRequest(packet)).Message);
        Assert.Equal(74, ((UdpScrapeRequest)UdpTrackerCodec.ReadRequest(packet.AsSpan(0, 16 + (20 * 74)))).InfoHashes.Count);
    }

    [Theory]
    [InlineData("", "a response is at least 8 bytes, not 0")]
    [InlineData("0000000000000001", "Connect response is at least 16 bytes, not 8")]
    [InlineData("00000001000000010000000000000000000000", "Announce response is at least 20 bytes, not 19")]
    [InlineData("000000010000000100000000000000000000000001020304", "the peer list is 4 bytes, not a multiple of 6")]
    [InlineData("000000020000000100000000", "scrape response entries are 4 bytes, not a multiple of 12")]
    [InlineData("0000000400000000", "unknown response action 4")]
    public void Client_reader_rejects_short_and_garbage_responses(string hex, string message)
    {
        byte[] packet = Convert.FromHexString(hex);
        Assert.Equal(message, Assert.Throws<TrackerProtocolException>(() => UdpTrackerCodec.ReadResponse(packet, AddressFamily.InterNetwork)).Message);
    }

    [Fact]
    public void Writers_refuse_a_small_destination()
    {
        Assert.Throws<ArgumentException>(() => UdpTrackerCodec.WriteConnectRequest(new byte[15], new UdpConnectRequest(1)));
        Assert.Throws<ArgumentException>(() => UdpTrackerCodec.WriteScrapeRequest(new byte[1500], new UdpScrapeRequest(1, 1, [])));
        Assert.Throws<ArgumentException>(() => UdpTrackerCodec.WriteAnnounceResponse(new byte[25], 1, 2, 3, 4, new byte[6]));
    }
}
