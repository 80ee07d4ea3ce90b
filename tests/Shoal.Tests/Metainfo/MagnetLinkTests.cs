using FsCheck;
using FsCheck.Fluent;
using Shoal.Metainfo;

namespace Shoal.Tests.Metainfo;

public class MagnetLinkTests
{
    // SHA-1 and SHA-256 of "shoal"; the base32 form was computed independently (Python's base64.b32encode).
    private const string V1Hex = "2db0973f709d9f0f5f0aaf61f4061d2570e776f8";
    private const string V1Base32 = "FWYJOP3QTWPQ6XYKV5Q7IBQ5EVYOO5XY";
    private const string V2Hex = "888696c38e895dd742b8494f449219c12a256a16d0841b93813c841a298df92c";
    private const string Xt = "xt=urn:btih:" + V1Hex;
    private const string Start = "magnet:?" + Xt;

    private const string FullLink =
        "magnet:?xt=urn:btih:" + V1Hex
        + "&xt=urn:btmh:1220" + V2Hex
        + "&dn=Big%20Buck%20Bunny%20%28caf%C3%A9%29"
        + "&xl=276134947"
        + "&tr=udp%3A%2F%2Ftracker.example%3A6969%2Fannounce"
        + "&tr=https%3A%2F%2Ft.example%2Fa%3Fx%3D1%26y%3D2"
        + "&ws=https%3A%2F%2Fseed.example%2Ffiles%2F"
        + "&x.pe=10.0.0.1%3A6881&x.pe=%5B2001%3Adb8%3A%3A1%5D%3A51413&x.pe=peer.example%3A80"
        + "&so=0,2,4-6";

    [Theory]
    [InlineData(V1Hex, V1Hex, null)]
    [InlineData(V1Base32, V1Hex, null)]
    [InlineData(" " + V2Hex + " ", null, V2Hex)]
    public void A_bare_info_hash_is_a_link_with_that_hash_alone(string text, string? v1, string? v2)
    {
        MagnetLink link = MagnetLink.FromInfoHash(text);

        Assert.Equal(v1 is null ? null : InfoHash.FromHex(v1), link.InfoHashes.V1);
        Assert.Equal(v2 is null ? null : InfoHash.FromHex(v2), link.InfoHashes.V2);
        Assert.Empty(link.Trackers);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2db0973f")]
    [InlineData("zz" + "b0973f709d9f0f5f0aaf61f4061d2570e776f8")]
    public void Anything_else_is_not_a_bare_info_hash(string text) =>
        Assert.Throws<MagnetLinkException>(() => MagnetLink.FromInfoHash(text));

    [Fact]
    public void Parses_a_hex_btih_in_either_case()
    {
        MagnetLink link = MagnetLink.Parse("magnet:?xt=urn:btih:" + V1Hex.ToUpperInvariant());

        Assert.Equal(InfoHash.FromHex(V1Hex), link.InfoHashes.V1);
        Assert.Null(link.InfoHashes.V2);
        Assert.Null(link.DisplayName);
        Assert.Null(link.ExactLength);
        Assert.Empty(link.Trackers);
        Assert.Empty(link.WebSeeds);
        Assert.Empty(link.Peers);
        Assert.Empty(link.SelectOnly);
    }

    [Theory]
    [InlineData(V1Base32)]
    [InlineData("fwyjop3qtwpq6xykv5q7ibq5evyoo5xy")]
    public void Parses_a_base32_btih(string base32)
    {
        MagnetLink link = MagnetLink.Parse("magnet:?xt=urn:btih:" + base32);

        Assert.Equal(InfoHash.FromHex(V1Hex), link.InfoHashes.V1);
    }

    [Fact]
    public void Parses_a_btmh_sha256_multihash()
    {
        MagnetLink link = MagnetLink.Parse("magnet:?xt=urn:btmh:1220" + V2Hex.ToUpperInvariant());

        Assert.Null(link.InfoHashes.V1);
        Assert.Equal(InfoHash.FromHex(V2Hex), link.InfoHashes.V2);
    }

    [Fact]
    public void Parses_a_hybrid_link_in_which_the_same_btih_may_repeat()
    {
        MagnetLink link = MagnetLink.Parse($"magnet:?xt.1=urn:btmh:1220{V2Hex}&xt.2=urn:btih:{V1Base32}&{Xt}");

        Assert.Equal(new InfoHashes(InfoHash.FromHex(V1Hex), InfoHash.FromHex(V2Hex)), link.InfoHashes);
    }

    [Fact]
    public void Keeps_trackers_in_order_with_numbered_keys_and_skips_empty_ones()
    {
        MagnetLink link = MagnetLink.Parse(
            $"{Start}&tr=udp%3A%2F%2Fa.example%3A80&tr.1=http://b.example/announce?k=a+b&tr=&tr.2=udp://c.example:6969");

        Assert.Equal(["udp://a.example:80", "http://b.example/announce?k=a+b", "udp://c.example:6969"], link.Trackers);
    }

    [Fact]
    public void Reads_web_seeds()
    {
        MagnetLink link = MagnetLink.Parse($"{Start}&ws=https%3A%2F%2Fseed.example%2Fa%20b&ws=&ws=http://mirror.example/");

        Assert.Equal(["https://seed.example/a b", "http://mirror.example/"], link.WebSeeds);
    }

    [Fact]
    public void Reads_ipv4_ipv6_and_hostname_peers()
    {
        MagnetLink link = MagnetLink.Parse(
            $"{Start}&x.pe=1.2.3.4:6881&x.pe=%5B2001%3Adb8%3A%3A1%5D%3A51413&x.pe=[::1]:80&x.pe=peer.example.com:65535");

        Assert.Equal(
            [new MagnetPeer("1.2.3.4", 6881), new MagnetPeer("2001:db8::1", 51413), new MagnetPeer("::1", 80), new MagnetPeer("peer.example.com", 65535)],
            link.Peers);
        Assert.Equal(["1.2.3.4:6881", "[2001:db8::1]:51413", "[::1]:80", "peer.example.com:65535"], link.Peers.Select(p => p.ToString()));
    }

    [Fact]
    public void Reads_select_only_indices_and_ranges()
    {
        MagnetLink link = MagnetLink.Parse($"{Start}&so=0,2,4-6&so=10%2C12-12");

        Assert.Equal([new(0, 0), new(2, 2), new(4, 6), new(10, 10), new(12, 12)], link.SelectOnly);
        Assert.Equal("0,2,4-6,10,12", string.Join(',', link.SelectOnly));
    }

    [Theory]
    [InlineData("Big+Buck%20Bunny", "Big Buck Bunny")]
    [InlineData("a%2Bb", "a+b")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("café", "café")]
    [InlineData("", "")]
    public void Decodes_display_names(string encoded, string expected)
    {
        Assert.Equal(expected, MagnetLink.Parse($"{Start}&dn={encoded}").DisplayName);
    }

    [Fact]
    public void Accepts_the_prefix_in_any_case_and_ignores_unknown_parameters()
    {
        MagnetLink link = MagnetLink.Parse($"MAGNET:?{Xt}&xt=urn:sha1:ABC&kt=a+b&x.unknown=%zz&&as=http://x/&xl=42");

        Assert.Equal(InfoHash.FromHex(V1Hex), link.InfoHashes.V1);
        Assert.Equal(42, link.ExactLength);
    }

    [Fact]
    public void Writes_the_canonical_link()
    {
        var link = new MagnetLink
        {
            InfoHashes = new InfoHashes(InfoHash.FromHex(V1Hex), InfoHash.FromHex(V2Hex)),
            DisplayName = "Big Buck Bunny (café)",
            ExactLength = 276134947,
            Trackers = ["udp://tracker.example:6969/announce", "https://t.example/a?x=1&y=2"],
            WebSeeds = ["https://seed.example/files/"],
            Peers = [new("10.0.0.1", 6881), new("2001:db8::1", 51413), new("peer.example", 80)],
            SelectOnly = [new(0, 0), new(2, 2), new(4, 6)],
        };

        Assert.Equal(FullLink, link.ToUri());
        Assert.Equal(FullLink, link.ToString());
        Assert.Equal(link, MagnetLink.Parse(FullLink));
    }

    [Theory]
    [InlineData(FullLink)]
    [InlineData(Start)]
    [InlineData("magnet:?xt=urn:btmh:1220" + V2Hex + "&dn=")]
    [InlineData(Start + "&dn=%2B%20%25%26%3D&so=2147483647")]
    public void Reads_canonical_links_back_unchanged(string canonical)
    {
        Assert.Equal(canonical, MagnetLink.Parse(canonical).ToUri());
    }

    [Fact]
    public void Links_with_equal_content_are_equal()
    {
        MagnetLink a = MagnetLink.Parse($"{Start}&tr=udp://a&tr=udp://b&x.pe=h:1&so=1-2");
        MagnetLink b = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Base32}&tr.1=udp%3A%2F%2Fa&tr.2=udp%3A%2F%2Fb&x.pe=h%3A1&so=1-2");
        MagnetLink reordered = MagnetLink.Parse($"{Start}&tr=udp://b&tr=udp://a&x.pe=h:1&so=1-2");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, reordered);
        Assert.NotEqual(a, a with { SelectOnly = [] });
    }

    [Theory]
    [InlineData("", "does not start with 'magnet:?'")]
    [InlineData("http://example.com/?" + Xt, "does not start with 'magnet:?'")]
    [InlineData("magnet:?dn=name&tr=udp%3A%2F%2Ft", "no xt=urn:btih or xt=urn:btmh info-hash")]
    [InlineData("magnet:?xt=urn:btih:xyz", "'xt=urn:btih:xyz' is not a 40-character hex or 32-character base32 info-hash")]
    [InlineData("magnet:?xt=urn:btih:2db0973f709d9f0f5f0aaf61f4061d2570e776fg", "'xt=urn:btih:2db0973f709d9f0f5f0aaf61f4061d2570e776fg' is not a 40-character hex")]
    [InlineData("magnet:?xt=urn:btih:FWYJOP3QTWPQ6XYKV5Q7IBQ5EVYOO5X1", "'xt=urn:btih:FWYJOP3QTWPQ6XYKV5Q7IBQ5EVYOO5X1' is not a 40-character hex or 32-character base32")]
    [InlineData("magnet:?xt=urn:btmh:1114" + V2Hex, "'xt=urn:btmh:1114" + V2Hex + "' is not a sha2-256 multihash")]
    [InlineData("magnet:?xt=urn:btmh:1220abcd", "'xt=urn:btmh:1220abcd' is not a sha2-256 multihash")]
    [InlineData(Start + "&xt=urn:btih:0000000000000000000000000000000000000000", "'xt=urn:btih:0000000000000000000000000000000000000000' names a different info-hash")]
    [InlineData(Start + "&x.pe=host", "x.pe 'host' needs a port from 1 to 65535")]
    [InlineData(Start + "&x.pe=host:0", "x.pe 'host:0' needs a port from 1 to 65535")]
    [InlineData(Start + "&x.pe=host:99999999999", "x.pe 'host:99999999999' needs a port from 1 to 65535")]
    [InlineData(Start + "&x.pe=::1:80", "x.pe '::1:80' must write an IPv6 address")]
    [InlineData(Start + "&x.pe=[example.com]:80", "x.pe '[example.com]:80' must write an IPv6 address")]
    [InlineData(Start + "&x.pe=[1::2::3]:80", "x.pe '[1::2::3]:80' has a host '1::2::3' that is not an IPv6 address")]
    [InlineData(Start + "&x.pe=bad%20host:80", "x.pe 'bad host:80' has a host 'bad host' that is not a hostname")]
    [InlineData(Start + "&x.pe=:80", "x.pe ':80' has a host '' that is not a hostname")]
    [InlineData(Start + "&so=4-2", "'so=4-2' is not a list of file indices")]
    [InlineData(Start + "&so=1,,2", "'so=1,,2' is not a list of file indices")]
    [InlineData(Start + "&so=-1", "'so=-1' is not a list of file indices")]
    [InlineData(Start + "&so=1-2-3", "'so=1-2-3' is not a list of file indices")]
    [InlineData(Start + "&so=2147483648", "'so=2147483648' is not a list of file indices")]
    [InlineData(Start + "&xl=-5", "'xl=-5' is not a length in bytes")]
    [InlineData(Start + "&xl=99999999999999999999", "'xl=99999999999999999999' is not a length in bytes")]
    [InlineData(Start + "&dn=%zz", "'dn=%zz' is not valid percent-encoded UTF-8")]
    [InlineData(Start + "&dn=%C3", "'dn=%C3' is not valid percent-encoded UTF-8")]
    [InlineData(Start + "&tr=udp%3A%2", "'tr=udp%3A%2' is not valid percent-encoded UTF-8")]
    public void Rejects_malformed_links_naming_the_bad_part(string link, string problem)
    {
        var error = Assert.Throws<MagnetLinkException>(() => MagnetLink.Parse(link));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("magnet link: ", error.Message, StringComparison.Ordinal);
        Assert.False(MagnetLink.TryParse(link, out MagnetLink? result));
        Assert.Null(result);
    }

    [Fact]
    public void Rejects_a_null_link_with_a_MagnetLinkException()
    {
        Assert.Throws<MagnetLinkException>(() => MagnetLink.Parse(null!));
        Assert.False(MagnetLink.TryParse(null!, out _));
    }

    [Fact]
    public void TryParse_gives_the_link()
    {
        Assert.True(MagnetLink.TryParse(FullLink, out MagnetLink? link));
        Assert.Equal(MagnetLink.Parse(FullLink), link);
    }

    [Fact]
    public void Refuses_values_that_could_not_be_written_and_read_back()
    {
        var hashes = new InfoHashes(InfoHash.FromHex(V1Hex), null);

        Assert.Throws<ArgumentException>(() => new MagnetLink { InfoHashes = hashes, Trackers = [""] });
        Assert.Throws<ArgumentException>(() => new MagnetLink { InfoHashes = hashes, WebSeeds = ["http://x/\ud800"] });
        Assert.Throws<ArgumentException>(() => new MagnetLink { InfoHashes = hashes, DisplayName = "\udc00" });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MagnetLink { InfoHashes = hashes, ExactLength = -1 });
        Assert.Throws<ArgumentException>(() => new MagnetPeer("[::1]", 80));
        Assert.Throws<ArgumentException>(() => new MagnetPeer("host", 65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileIndexRange(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileIndexRange(3, 2));
    }

    [Fact]
    public void Every_valid_link_reads_back_equal_from_its_canonical_form()
    {
        Property roundTrip = Prop.ForAll(Arb.From(MagnetLinkGenerators.Links), link =>
        {
            string uri = link.ToUri();
            MagnetLink parsed = MagnetLink.Parse(uri);
            return parsed == link && parsed.GetHashCode() == link.GetHashCode() && parsed.ToUri() == uri;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), roundTrip);
    }
}
