using System.Text;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Xunit.Abstractions;

namespace Shoal.Tests.Fuzzing;

/// <summary>
/// Random and mutated .torrent files, info dictionaries and magnet links: only the parser's own format
/// exception may come out, and memory must stay bounded.
/// </summary>
[Trait("Category", "Fuzz")]
public class ParserFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;

    [Theory]
    [InlineData("bencode")]
    [InlineData("torrent file")]
    [InlineData("info dictionary")]
    public async Task Mutated_torrents_only_raise_format_exceptions(string parser)
    {
        List<byte[]> seeds = await RealTorrentsAsync();
        var mutator = new Mutator(20261122);
        Func<byte[], bool> parse = parser switch
        {
            "bencode" => input => FuzzRun.Accepts<BencodeException>(() => BencodeDecoder.Decode(input)),
            "torrent file" => input => FuzzRun.Accepts<MetainfoException>(() => TorrentParser.Parse(input)),
            _ => input => FuzzRun.Accepts<MetainfoException>(() => TorrentParser.ParseInfoDictionary(input)),
        };
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i => i % 10 == 0 ? mutator.RandomBytes(512) : mutator.Mutate(seeds[i % seeds.Count]), parse);
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Theory]
    [InlineData("magnet link")]
    [InlineData("bare info-hash")]
    public void Mutated_magnet_links_only_raise_magnet_exceptions(string parser)
    {
        string[] seeds = parser == "magnet link"
            ?
            [
                "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a%20file&tr=http%3A%2F%2Ft.example%2Fannounce&x.pe=127.0.0.1:6881&so=0,2-4",
                "magnet:?xt=urn:btih:YEX6BQDLUJKUVHOJ6UM3GNNKPQJWPKEK&xt=urn:btmh:1220" + new string('a', 64) + "&dn=x&ws=http%3A%2F%2Fw%2F&x.pe=[::1]:80",
                "magnet:?xt=urn:btmh:1220" + new string('0', 64) + "&xl=12345&tr.1=udp%3A%2F%2Fx%3A1&tr.2=",
            ]
            : [" c12fe1c06bba254a9dc9f519b335aa7c1367a88a", "YEX6BQDLUJKUVHOJ6UM3GNNKPQJWPKEK", new string('a', 64) + "\n"];
        var mutator = new Mutator(7);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i => mutator.Mutate(Encoding.UTF8.GetBytes(seeds[i % seeds.Length])), input =>
            FuzzRun.Accepts<MagnetLinkException>(() =>
            {
                string text = Encoding.UTF8.GetString(input);
                MagnetLink parsed = parser == "magnet link" ? MagnetLink.Parse(text) : MagnetLink.FromInfoHash(text);
                Assert.Equal(parsed, MagnetLink.Parse(parsed.ToUri()));
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    private static async Task<List<byte[]>> RealTorrentsAsync()
    {
        using var folder = new TempFolder();
        folder.File("single.bin", TempFolder.RandomBytes(40000, 1));
        folder.File("multi/a.txt", TempFolder.RandomBytes(17000, 2));
        folder.File("multi/sub/b", TempFolder.RandomBytes(70000, 3));
        folder.File("multi/empty", []);
        var seeds = new List<byte[]>();
        foreach (TorrentVersion version in Enum.GetValues<TorrentVersion>())
        {
            var options = new TorrentCreationOptions { Version = version, PieceLength = 16384, Trackers = ["http://t.example/a", "udp://u.example:1"], Comment = "c" };
            foreach (string content in new[] { "single.bin", "multi" })
            {
                CreatedTorrent created = await TorrentCreator.CreateAsync(Path.Combine(folder.Path, content), options);
                seeds.Add(created.FileBytes);
                seeds.Add(created.Torrent.InfoBytes.ToArray());
            }
        }

        return seeds;
    }
}
