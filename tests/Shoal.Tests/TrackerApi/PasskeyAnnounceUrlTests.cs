using Shoal.Discovery.Trackers;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tests.TrackerApi;

public sealed class PasskeyAnnounceUrlTests
{
    private static readonly PasskeyAnnounceUrl Alice = new(PasskeyAnnounceUrl.PlainFor(new Uri("http://127.0.0.1:6969")), "k3y");

    [Theory]
    [InlineData("http://127.0.0.1:6969/announce", "http://127.0.0.1:6969/announce/k3y")]
    [InlineData("http://127.0.0.1:6969/announce?x=1", "http://127.0.0.1:6969/announce/k3y?x=1")]
    [InlineData("http://127.0.0.1:6970/announce", "http://127.0.0.1:6970/announce")]
    [InlineData("http://127.0.0.2:6969/announce", "http://127.0.0.2:6969/announce")]
    [InlineData("https://127.0.0.1:6969/announce", "https://127.0.0.1:6969/announce")]
    [InlineData("udp://127.0.0.1:6969/announce", "udp://127.0.0.1:6969/announce")]
    [InlineData("http://127.0.0.1:6969/announce/other", "http://127.0.0.1:6969/announce/other")]
    [InlineData("http://127.0.0.1:6969/x/announce", "http://127.0.0.1:6969/x/announce")]
    public void Only_the_logged_in_trackers_plain_announce_url_gets_the_passkey(string announce, string expected)
    {
        Assert.Equal(new Uri(expected), Alice.Rewrite(new Uri(announce)));
    }

    [Theory]
    [InlineData("http://t.example/announce/k3y", "http://t.example/scrape/k3y")]
    [InlineData("http://t.example/announce/k3y?a=b", "http://t.example/scrape/k3y?a=b")]
    [InlineData("http://t.example/x/announce/k3y", "http://t.example/x/scrape/k3y")]
    [InlineData("http://t.example/announce", "http://t.example/scrape")]
    [InlineData("http://t.example/k3y/announce", "http://t.example/k3y/scrape")]
    public void A_passkey_announce_url_scrapes_with_the_same_passkey(string announce, string expected)
    {
        Assert.Equal(new Uri(expected), ScrapeRequestCodec.GetScrapeUrl(new Uri(announce)));
    }

    [Theory]
    [InlineData("http://t.example/k3y")]
    [InlineData("http://t.example/announcer/k3y")]
    [InlineData("http://t.example/")]
    public void Other_paths_cannot_be_scraped(string announce)
    {
        Assert.Null(ScrapeRequestCodec.GetScrapeUrl(new Uri(announce)));
    }
}
