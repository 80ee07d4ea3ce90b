using System.Text;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;

namespace Shoal.Tests.Fuzzing;

/// <summary>
/// Throws 100,000+ random and mutated inputs at each parser: only the parser's own format
/// exception may come out, and memory must stay bounded.
/// </summary>
public class ParserFuzzTests
{
    private const int Iterations = 100_000;
    private const long MemoryBound = 256L * 1024 * 1024;

    [Fact]
    public async Task Mutated_torrents_only_raise_format_exceptions()
    {
        List<byte[]> seeds = await RealTorrentsAsync();
        var mutator = new Mutator(20261122);
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        int accepted = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = i % 10 == 0 ? mutator.RandomBytes(512) : mutator.Mutate(seeds[i % seeds.Count]);
            Expect<BencodeException>(input, () => BencodeDecoder.Decode(input));
            Expect<MetainfoException>(input, () => TorrentParser.Parse(input));
            if (Expect<MetainfoException>(input, () => TorrentParser.ParseInfoDictionary(input)))
            {
                accepted++;
            }
        }

        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(growth < MemoryBound, $"memory grew by {growth} bytes");
        Assert.True(accepted < Iterations, "some inputs must be rejected");
    }

    [Fact]
    public void Mutated_magnet_links_only_raise_magnet_exceptions()
    {
        string[] seeds =
        [
            "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a%20file&tr=http%3A%2F%2Ft.example%2Fannounce&x.pe=127.0.0.1:6881&so=0,2-4",
            "magnet:?xt=urn:btih:YEX6BQDLUJKUVHOJ6UM3GNNKPQJWPKEK&xt=urn:btmh:1220" + new string('a', 64) + "&dn=x&ws=http%3A%2F%2Fw%2F&x.pe=[::1]:80",
            "magnet:?xt=urn:btmh:1220" + new string('0', 64) + "&xl=12345&tr.1=udp%3A%2F%2Fx%3A1&tr.2=",
        ];
        var mutator = new Mutator(7);
        for (int i = 0; i < Iterations; i++)
        {
            byte[] mutated = mutator.Mutate(Encoding.UTF8.GetBytes(seeds[i % seeds.Length]));
            string link = Encoding.UTF8.GetString(mutated);
            try
            {
                MagnetLink parsed = MagnetLink.Parse(link);
                Assert.Equal(parsed, MagnetLink.Parse(parsed.ToUri()));
            }
            catch (MagnetLinkException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for magnet link '{link}': {e}");
            }
        }
    }

    private static bool Expect<TFormat>(byte[] input, Action parse)
        where TFormat : Exception
    {
        try
        {
            parse();
            return true;
        }
        catch (TFormat)
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} instead of {typeof(TFormat).Name} for input {Convert.ToBase64String(input)}: {e}");
            return false;
        }
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
