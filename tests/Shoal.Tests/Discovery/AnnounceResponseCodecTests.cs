using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Bencoding;
using Shoal.Discovery.Trackers;

namespace Shoal.Tests.Discovery;

public class AnnounceResponseCodecTests
{
    private static AnnounceResponse RoundTrip(AnnounceResponse response, bool compact) =>
        AnnounceResponseCodec.Parse(AnnounceResponseCodec.Encode(response, compact));

    private static bool SameExceptPeers(AnnounceResponse a, AnnounceResponse b) => a with { Peers = [] } == b with { Peers = [] };

    [Fact]
    public void Every_response_reads_back_equal_compact_and_not()
    {
        Property roundTrip = Prop.ForAll(Arb.From(TrackerGenerators.AnnounceResponses), response =>
        {
            IReadOnlyList<IPEndPoint> expectedPeers = response.FailureReason is null ? response.Peers : [];
            AnnounceResponse full = RoundTrip(response, compact: false);
            AnnounceResponse compact = RoundTrip(response, compact: true);

            // Compact lists carry IPv4 peers in "peers" and IPv6 peers in "peers6".
            IPEndPoint[] byFamily = [.. expectedPeers.Where(p => p.AddressFamily == AddressFamily.InterNetwork),
                .. expectedPeers.Where(p => p.AddressFamily == AddressFamily.InterNetworkV6)];
            return SameExceptPeers(response, full) && SameExceptPeers(response, compact)
                && TrackerGenerators.SamePeers(expectedPeers, full.Peers)
                && TrackerGenerators.SamePeers(byFamily, compact.Peers);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), roundTrip);
    }

    [Fact]
    public void Compact_peers_are_6_bytes_for_IPv4_and_18_for_IPv6()
    {
        var response = new AnnounceResponse
        {
            Interval = 1800,
            Peers = [new IPEndPoint(IPAddress.Parse("1.2.3.4"), 0x1AE1), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 0x0102)],
        };
        byte[] encoded = AnnounceResponseCodec.Encode(response, compact: true);
        byte[] expected =
        [
            .. "d8:intervali1800e5:peers6:"u8, 1, 2, 3, 4, 0x1A, 0xE1,
            .. "6:peers618:"u8, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0x02, (byte)'e',
        ];
        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Precompacted_peers_encode_as_the_response_they_come_from()
    {
        Property sameBytes = Prop.ForAll(Arb.From(TrackerGenerators.AnnounceResponses.Where(r => r.FailureReason is null)), response =>
        {
            byte[] encoded = AnnounceResponseCodec.Encode(response, compact: true);
            BDictionary fields = BencodeDecoder.DecodeDictionary(encoded);
            var compact = new CompactAnnounceResponse(response.Interval, ((BString)fields["peers"]!).Bytes, (fields["peers6"] as BString)?.Bytes ?? default)
            {
                MinInterval = response.MinInterval,
                Complete = response.Complete,
                Incomplete = response.Incomplete,
                WarningMessage = response.WarningMessage,
                TrackerId = response.TrackerId,
            };
            var written = new ArrayBufferWriter<byte>();
            AnnounceResponseCodec.Write(written, compact);
            return written.WrittenSpan.SequenceEqual(encoded);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), sameBytes);
    }

    [Fact]
    public void Precompacted_peers_are_copied_with_a_trackers_figures()
    {
        byte[] peers6 = [.. IPAddress.IPv6Loopback.GetAddressBytes(), 0x01, 0x02];
        var response = new CompactAnnounceResponse(1800, new byte[] { 1, 2, 3, 4, 0x1A, 0xE1 }, peers6)
        {
            MinInterval = 300,
            Complete = 3,
            Incomplete = 4,
            Downloaded = 5_000_000_000,
            WarningMessage = "numwant is capped at 200",
        };
        var written = new ArrayBufferWriter<byte>();
        AnnounceResponseCodec.Write(written, response);

        byte[] expected =
        [
            .. "d8:completei3e10:downloadedi5000000000e10:incompletei4e8:intervali1800e12:min intervali300e5:peers6:"u8, 1, 2, 3, 4, 0x1A, 0xE1,
            .. "6:peers618:"u8, .. peers6, .. "15:warning message24:numwant is capped at 200e"u8,
        ];
        Assert.Equal(expected, written.WrittenSpan.ToArray());
        AnnounceResponse parsed = AnnounceResponseCodec.Parse(written.WrittenMemory);
        Assert.Equal(new AnnounceResponse { Interval = 1800, MinInterval = 300, Complete = 3, Incomplete = 4, WarningMessage = "numwant is capped at 200" }, parsed with { Peers = [] });
        Assert.Equal([new IPEndPoint(IPAddress.Parse("1.2.3.4"), 0x1AE1), new IPEndPoint(IPAddress.IPv6Loopback, 0x0102)], parsed.Peers);
    }

    [Fact]
    public void IPv4_mapped_addresses_are_sent_as_IPv4()
    {
        var response = new AnnounceResponse { Interval = 1, Peers = [new IPEndPoint(IPAddress.Parse("::ffff:1.2.3.4"), 80)] };
        Assert.Equal("d8:intervali1e5:peers6:\u0001\u0002\u0003\u0004\u0000\u0050e", Encoding.Latin1.GetString(AnnounceResponseCodec.Encode(response, compact: true)));
        Assert.Equal("d8:intervali1e5:peersld2:ip7:1.2.3.44:porti80eeee", Encoding.Latin1.GetString(AnnounceResponseCodec.Encode(response, compact: false)));
    }

    [Fact]
    public void Failure_encodes_only_the_reason_and_parses_without_throwing()
    {
        byte[] encoded = AnnounceResponseCodec.Encode(AnnounceResponse.Failure("unregistered torrent") with { Interval = 5 }, compact: true);
        Assert.Equal("d14:failure reason20:unregistered torrente"u8.ToArray(), encoded);
        Assert.Equal("unregistered torrent", AnnounceResponseCodec.Parse(encoded).FailureReason);
    }

    [Fact]
    public void Dictionary_peers_with_peer_ids_and_host_names_are_read()
    {
        byte[] body = "d8:intervali60e5:peersld2:ip9:127.0.0.17:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti6881eed2:ip13:tracker.local4:porti1eed2:ip3:::14:porti2eeee"u8.ToArray();
        AnnounceResponse response = AnnounceResponseCodec.Parse(body);
        Assert.Equal(60, response.Interval);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6881), new IPEndPoint(IPAddress.IPv6Loopback, 2)], response.Peers);
    }

    [Fact]
    public void External_ip_is_read_packed_and_ignored_at_another_length()
    {
        // BEP 24: 4 bytes for IPv4 (203.0.113.7), 16 for IPv6.
        byte[] v4 = [.. "d11:external ip4:"u8, 203, 0, 113, 7, .. "8:intervali60e5:peers0:e"u8];
        byte[] v6 = [.. "d11:external ip16:"u8, .. IPAddress.Parse("2001:db8::7").GetAddressBytes(), .. "8:intervali60e5:peers0:e"u8];

        Assert.Equal(IPAddress.Parse("203.0.113.7"), AnnounceResponseCodec.Parse(v4).ExternalIp);
        Assert.Equal(IPAddress.Parse("2001:db8::7"), AnnounceResponseCodec.Parse(v6).ExternalIp);
        Assert.Null(AnnounceResponseCodec.Parse("d11:external ip11:203.0.113.78:intervali60e5:peers0:e"u8.ToArray()).ExternalIp);
    }

    [Theory]
    [InlineData("d8:intervali60e5:peers5:abcdee", "peers is 5 bytes, not a multiple of 6")]
    [InlineData("d8:intervali60e5:peers0:6:peers66:abcdefe", "peers6 is 6 bytes, not a multiple of 18")]
    [InlineData("d5:peers0:e", "missing interval")]
    [InlineData("d8:intervali-1e5:peers0:e", "interval is out of range")]
    [InlineData("d8:interval1:15:peers0:e", "interval is not an integer")]
    [InlineData("d8:intervali60e5:peersi3ee", "peers is neither a string nor a list")]
    [InlineData("d8:intervali60e5:peersli1eee", "a peer is not a dictionary")]
    [InlineData("d8:intervali60e5:peersld2:ip9:127.0.0.14:porti70000eeee", "a peer's port is out of range")]
    [InlineData("d8:intervali60e5:peersld4:porti1eeee", "a peer has no ip")]
    [InlineData("le", "malformed bencoding: expected a dictionary at byte 0")]
    [InlineData("d8:interval", "malformed bencoding: ")]
    [InlineData("", "malformed bencoding: ")]
    public void Malformed_responses_are_rejected(string body, string messageStart)
    {
        var exception = Assert.Throws<TrackerProtocolException>(() => AnnounceResponseCodec.Parse(Encoding.Latin1.GetBytes(body)));
        Assert.StartsWith(messageStart, exception.Message);
    }
}
