using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery;

public class AnnounceRequestCodecTests
{
    private static readonly InfoHash Hash = new(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());
    private static readonly byte[] PeerId = "-SH0100-abcdefghijkl"u8.ToArray();

    private const string ValidHash = "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13";
    private const string ValidQuery = "info_hash=" + ValidHash + "&peer_id=-SH0100-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=10";

    private static string QueryOf(string url) => url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..];

    [Fact]
    public void Every_valid_request_reads_back_equal_from_its_url()
    {
        Property roundTrip = Prop.ForAll(Arb.From(TrackerGenerators.AnnounceRequests), request =>
        {
            string url = AnnounceRequestCodec.AppendQuery(new Uri("http://tracker.example:8080/announce"), request);
            return AnnounceRequestCodec.Parse(QueryOf(url)) == request && url.All(char.IsAscii);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), roundTrip);
    }

    [Fact]
    public void Every_byte_value_of_the_info_hash_is_percent_encoded_and_read_back()
    {
        for (int value = 0; value < 256; value++)
        {
            byte[] bytes = Enumerable.Repeat((byte)value, 20).ToArray();
            var request = new AnnounceRequest(new InfoHash(bytes), bytes, 1, 0, 0, 0);
            string url = AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce"), request);
            char c = (char)value;
            string expected = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'
                ? c.ToString()
                : "%" + value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith("http://t/announce?info_hash=" + string.Concat(Enumerable.Repeat(expected, 20)) + "&peer_id=", url);
            Assert.Equal(request, AnnounceRequestCodec.Parse("?" + QueryOf(url)));
        }
    }

    [Fact]
    public void Url_has_the_expected_parameters()
    {
        var request = new AnnounceRequest(Hash, PeerId, 6881, 1, 2, 3, AnnounceEvent.Started) { NumWant = 50, Key = "k1", TrackerId = "t 1" };
        string url = AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce"), request);
        Assert.Equal(
            "http://t/announce?info_hash=" + ValidHash + "&peer_id=-SH0100-abcdefghijkl&port=6881&uploaded=1&downloaded=2&left=3"
            + "&compact=1&event=started&numwant=50&key=k1&trackerid=t%201",
            url);
    }

    [Theory]
    [InlineData("http://t.example/announce?passkey=s3cret", "http://t.example/announce?passkey=s3cret&info_hash=")]
    [InlineData("http://t.example/s3cret/announce", "http://t.example/s3cret/announce?info_hash=")]
    [InlineData("https://t.example:8443/announce.php?uk=abc&", "https://t.example:8443/announce.php?uk=abc&info_hash=")]
    [InlineData("http://t.example/announce#fragment", "http://t.example/announce?info_hash=")]
    public void Existing_path_and_query_are_kept(string announceUrl, string expectedStart)
    {
        string url = AnnounceRequestCodec.AppendQuery(new Uri(announceUrl), new AnnounceRequest(Hash, PeerId, 1, 0, 0, 0));
        Assert.StartsWith(expectedStart, url);
        Assert.Equal(Hash, AnnounceRequestCodec.Parse(QueryOf(url)).InfoHash);
    }

    [Fact]
    public void V2_info_hash_is_sent_truncated()
    {
        var v2 = new InfoHash(Enumerable.Repeat((byte)'a', 32).ToArray());
        string url = AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce"), new AnnounceRequest(v2, PeerId, 1, 0, 0, 0));
        Assert.Equal(v2.Truncated, AnnounceRequestCodec.Parse(QueryOf(url)).InfoHash);
    }

    [Fact]
    public void Server_side_parse_reads_a_minimal_query_with_defaults()
    {
        AnnounceRequest request = AnnounceRequestCodec.Parse("?" + ValidQuery + "&passkey=x&supportcrypto=1&no_peer_id=1");
        Assert.Equal(Hash, request.InfoHash);
        Assert.Equal(PeerId, request.PeerId.ToArray());
        Assert.Equal(6881, request.Port);
        Assert.Equal(10, request.Left);
        Assert.Equal(AnnounceEvent.None, request.Event);
        Assert.True(request.Compact);
        Assert.Null(request.NumWant);
        Assert.Null(request.IP);
        Assert.False(AnnounceRequestCodec.Parse(ValidQuery + "&compact=0").Compact);
        Assert.Equal(AnnounceEvent.None, AnnounceRequestCodec.Parse(ValidQuery + "&event=").Event);
        Assert.Equal(AnnounceEvent.Completed, AnnounceRequestCodec.Parse(ValidQuery + "&event=completed").Event);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), AnnounceRequestCodec.Parse(ValidQuery + "&ip=10.0.0.1").IP);
        Assert.Equal(long.MaxValue, AnnounceRequestCodec.Parse(ValidQuery.Replace("left=10", "left=9223372036854775807", StringComparison.Ordinal)).Left);
    }

    [Theory]
    [InlineData("info_hash=%00%01", "info_hash must be 20 bytes, not 2")]
    [InlineData("info_hash=" + ValidHash + "%14", "info_hash must be 20 bytes, not 21")]
    [InlineData("peer_id=short", "peer_id must be 20 bytes, not 5")]
    [InlineData("uploaded=-1", "uploaded must not be negative")]
    [InlineData("downloaded=-5", "downloaded must not be negative")]
    [InlineData("left=-1", "left must not be negative")]
    [InlineData("left=9223372036854775808", "left is not a valid number")]
    [InlineData("left=99999999999999999999", "left is not a valid number")]
    [InlineData("left=1e3", "left is not a valid number")]
    [InlineData("left=", "left is not a valid number")]
    [InlineData("left=+1", "left is not a valid number")]
    [InlineData("numwant=-1", "numwant must not be negative")]
    [InlineData("numwant=2147483648", "numwant is too large")]
    [InlineData("numwant=99999999999999999999999", "numwant is not a valid number")]
    [InlineData("port=0", "port must be between 1 and 65535")]
    [InlineData("port=65536", "port must be between 1 and 65535")]
    [InlineData("port=abc", "port is not a valid number")]
    [InlineData("event=resumed", "unknown event")]
    [InlineData("event=Started", "unknown event")]
    [InlineData("compact=yes", "compact must be 0 or 1")]
    public void Server_side_parse_rejects_bad_values(string replacement, string message)
    {
        string name = replacement[..replacement.IndexOf('=', StringComparison.Ordinal)];
        string query = string.Join('&', ValidQuery.Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).Append(replacement));
        var exception = Assert.Throws<TrackerProtocolException>(() => AnnounceRequestCodec.Parse(query));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Server_side_parse_keeps_opaque_keys_and_ignores_an_ip_that_is_a_host_name()
    {
        // aria2 1.36 sends 8 random bytes as its key.
        AnnounceRequest request = AnnounceRequestCodec.Parse(ValidQuery + "&key=%8C%F2%3E%E4J%12%BE%3A&ip=peer.example.org");
        Assert.Equal([0x8C, 0xF2, 0x3E, 0xE4, (byte)'J', 0x12, 0xBE, 0x3A], System.Text.Encoding.Latin1.GetBytes(request.Key!));
        Assert.Null(request.IP);
    }

    [Theory]
    [InlineData(ValidQuery + "&port=6882", "port given more than once")]
    [InlineData(ValidQuery + "&info_hash=" + ValidHash, "info_hash given more than once")]
    [InlineData("peer_id=-SH0100-abcdefghijkl&port=1&uploaded=0&downloaded=0&left=0", "missing info_hash")]
    [InlineData("info_hash=" + ValidHash + "&peer_id=-SH0100-abcdefghijkl&uploaded=0&downloaded=0&left=0", "missing port")]
    [InlineData(ValidQuery + "&x=%G0", "malformed percent-escape in query string")]
    [InlineData(ValidQuery + "&x=%4", "malformed percent-escape in query string")]
    [InlineData(ValidQuery + "&x=a b", "query string holds a character that must be escaped")]
    [InlineData(ValidQuery + "&x=é", "query string holds a character that must be escaped")]
    [InlineData("", "missing info_hash")]
    [InlineData("&&&=&==", "missing info_hash")]
    public void Server_side_parse_rejects_duplicates_and_garbage(string query, string message)
    {
        var exception = Assert.Throws<TrackerProtocolException>(() => AnnounceRequestCodec.Parse(query));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Server_side_parse_bounds_the_query()
    {
        Assert.Throws<TrackerProtocolException>(() => AnnounceRequestCodec.Parse(ValidQuery + "&x=" + new string('a', 5000)));
        Assert.Throws<TrackerProtocolException>(() => AnnounceRequestCodec.Parse(ValidQuery + string.Concat(Enumerable.Repeat("&a=1", 200))));
    }
}
