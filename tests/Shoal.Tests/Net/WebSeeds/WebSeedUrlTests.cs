using Shoal.Metainfo;
using Shoal.Net.WebSeeds;
using Shoal.Tests.Swarm.Harness;

namespace Shoal.Tests.Net.WebSeeds;

/// <summary>BEP 19's URL rules: single-file (with and without a trailing '/'), multi-file, percent-encoding, schemes.</summary>
public sealed class WebSeedUrlTests
{
    private static readonly Torrent SingleFile = SyntheticTorrent.Create(new byte[100], 64) with
    {
        Name = "my file #1?.iso",
        Files = [new FileEntry { Path = ["my file #1?.iso"], Length = 100, Offset = 0 }],
    };

    private static readonly Torrent MultiFile = SyntheticTorrent.Create(new byte[100], 64) with
    {
        Name = "Season 1",
        IsMultiFile = true,
        Files =
        [
            new FileEntry { Path = ["sub dir", "épisode 1.mkv"], Length = 60, Offset = 0 },
            new FileEntry { Path = ["100%.txt"], Length = 40, Offset = 60 },
        ],
    };

    [Fact]
    public void A_single_file_url_not_ending_in_a_slash_is_the_file_itself()
    {
        Uri seed = WebSeedUrl.Parse("http://mirror.example/pub/file.iso")!;
        Assert.Equal("http://mirror.example/pub/file.iso", WebSeedUrl.ForFile(seed, SingleFile, SingleFile.Files[0]).AbsoluteUri);
    }

    [Fact]
    public void A_single_file_url_ending_in_a_slash_gets_the_name_percent_encoded()
    {
        Uri seed = WebSeedUrl.Parse("http://mirror.example/pub/")!;
        Assert.Equal("http://mirror.example/pub/my%20file%20%231%3F.iso", WebSeedUrl.ForFile(seed, SingleFile, SingleFile.Files[0]).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://mirror.example/pub/")]
    [InlineData("https://mirror.example/pub")]
    public void A_multi_file_url_is_a_folder_holding_the_name_then_the_path(string entry)
    {
        Uri seed = WebSeedUrl.Parse(entry)!;
        Assert.Equal(
            "https://mirror.example/pub/Season%201/sub%20dir/%C3%A9pisode%201.mkv",
            WebSeedUrl.ForFile(seed, MultiFile, MultiFile.Files[0]).AbsoluteUri);
        Assert.Equal("https://mirror.example/pub/Season%201/100%25.txt", WebSeedUrl.ForFile(seed, MultiFile, MultiFile.Files[1]).AbsoluteUri);
    }

    [Theory]
    [InlineData("ftp://mirror.example/pub/")]
    [InlineData("udp://tracker.example:80")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    [InlineData("http://")]
    public void Entries_that_are_not_http_urls_are_ignored(string entry) => Assert.Null(WebSeedUrl.Parse(entry));
}
