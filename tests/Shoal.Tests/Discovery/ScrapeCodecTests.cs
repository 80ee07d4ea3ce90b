using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery;

public class ScrapeCodecTests
{
    [Theory]
    [InlineData("http://t/announce", "http://t/scrape")]
    [InlineData("http://t/x/announce.php?p=1", "http://t/x/scrape.php?p=1")]
    [InlineData("https://t.example:8443/passkey/announce", "https://t.example:8443/passkey/scrape")]
    [InlineData("http://t/announce/x", "http://t/scrape/x")]
    [InlineData("http://t/a", null)]
    [InlineData("http://t/", null)]
    [InlineData("http://t/x/Announce", null)]
    public void Scrape_url_replaces_the_last_announce_segment(string announce, string? expected)
    {
        Assert.Equal(expected, ScrapeRequestCodec.GetScrapeUrl(new Uri(announce))?.ToString());
    }

    [Fact]
    public void Scrape_query_carries_every_info_hash_and_reads_back()
    {
        Property roundTrip = Prop.ForAll(Arb.From(Gen.Choose(0, 74).SelectMany(n => Gen.ListOf(TrackerGenerators.Hashes, n))), hashes =>
        {
            string url = ScrapeRequestCodec.AppendQuery(new Uri("http://t/scrape?passkey=p"), hashes);
            IReadOnlyList<InfoHash> parsed = ScrapeRequestCodec.Parse(url[url.IndexOf('?', StringComparison.Ordinal)..]);
            return url.StartsWith("http://t/scrape?passkey=p", StringComparison.Ordinal) && parsed.SequenceEqual(hashes.Distinct());
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), roundTrip);
        Assert.Equal("http://t/scrape", ScrapeRequestCodec.AppendQuery(new Uri("http://t/scrape"), []));
    }

    [Fact]
    public void Scrape_query_is_capped_and_checked()
    {
        string hash = string.Concat(Enumerable.Repeat("%41", 19));
        string many = string.Join('&', Enumerable.Range(0, 75).Select(i => "info_hash=" + hash + "%" + i.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("more than 74 info_hash values", Assert.Throws<TrackerProtocolException>(() => ScrapeRequestCodec.Parse(many)).Message);
        Assert.Equal(75, ScrapeRequestCodec.Parse(many, maxInfoHashes: 80).Count);
        Assert.Throws<TrackerProtocolException>(() => ScrapeRequestCodec.Parse("info_hash=abc"));
        Assert.Single(ScrapeRequestCodec.Parse("info_hash=" + hash + "A&info_hash=" + hash + "%41"));
    }

    [Fact]
    public void Every_scrape_response_reads_back_equal()
    {
        Property roundTrip = Prop.ForAll(Arb.From(TrackerGenerators.ScrapeResponses), response =>
        {
            ScrapeResponse parsed = ScrapeResponseCodec.Parse(ScrapeResponseCodec.Encode(response));
            return parsed.FailureReason == response.FailureReason
                && parsed.Files.Count == response.Files.Count
                && response.Files.All(e => parsed.Files.TryGetValue(e.Key, out ScrapeStats? s) && s == e.Value);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), roundTrip);
    }

    [Fact]
    public void Scrape_response_matches_the_BEP_48_example()
    {
        byte[] example = Encoding.ASCII.GetBytes(
            "d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e10:incompletei19ee"
            + "20:yyyyyyyyyyyyyyyyyyyyd8:completei21e10:downloadedi206e10:incompletei20eeee"); // BEP 48's example lacks the "e" closing each of the two swarm dictionaries
        ScrapeResponse response = ScrapeResponseCodec.Parse(example);
        var x = new InfoHash(Encoding.ASCII.GetBytes(new string('x', 20)));
        Assert.Equal(new ScrapeStats(11, 13772, 19), response.Files[x]);
        Assert.Equal(example, ScrapeResponseCodec.Encode(response));
    }

    [Theory]
    [InlineData("d5:filesd3:abcd8:completei1eeee", "a files key is 3 bytes, not 20")]
    [InlineData("d5:filesd20:xxxxxxxxxxxxxxxxxxxxi1eee", "a files entry is not a dictionary")]
    [InlineData("d5:fileslee", "files is not a dictionary")]
    [InlineData("d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei-1eeee", "complete is out of range")]
    [InlineData("i1e", "malformed bencoding")]
    public void Malformed_scrape_responses_are_rejected(string body, string messageStart)
    {
        var exception = Assert.Throws<TrackerProtocolException>(() => ScrapeResponseCodec.Parse(Encoding.ASCII.GetBytes(body)));
        Assert.StartsWith(messageStart, exception.Message);
    }

    [Fact]
    public void Scrape_failure_is_returned_not_thrown()
    {
        byte[] encoded = ScrapeResponseCodec.Encode(new ScrapeResponse { FailureReason = "no scrape" });
        Assert.Equal("d14:failure reason9:no scrapee"u8.ToArray(), encoded);
        Assert.Equal("no scrape", ScrapeResponseCodec.Parse(encoded).FailureReason);
    }
}
