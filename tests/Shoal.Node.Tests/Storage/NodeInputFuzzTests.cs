using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Node.Api;
using Shoal.Node.Torrents;
using Shoal.Tests;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Node.Tests.Storage;

/// <summary>
/// Random and mutated metadata as the node keeps it and list queries of its API: read or refused with a format
/// error (a row then shows as an error) or a 400, never another exception.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class NodeInputFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 50_000;

    [Fact]
    public async Task Mutated_kept_metadata_is_read_or_refused_as_a_format_error()
    {
        using var folder = new TempFolder();
        folder.File("a.bin", TempFolder.RandomBytes(40_000, 1));
        folder.File("multi/b", TempFolder.RandomBytes(20_000, 2));
        var options = new TorrentCreationOptions { PieceLength = 16384, Trackers = ["http://t.example/a", "udp://u.example:1"] };
        byte[][] seeds =
        [
            FetchedMetadata.Write((await TorrentCreator.CreateAsync(Path.Combine(folder.Path, "a.bin"), options)).Torrent),
            FetchedMetadata.Write((await TorrentCreator.CreateAsync(Path.Combine(folder.Path, "multi"), options with { Version = TorrentVersion.Hybrid })).Torrent),
        ];
        var mutator = new Mutator(42);
        FuzzResult result = FuzzRun.Run(output, "node kept metadata", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(seeds[i % seeds.Length]), kept =>
            FuzzRun.Accepts<FormatException>(() => Assert.All(FetchedMetadata.Read(kept).AnnounceTiers, tier => Assert.All(tier, Assert.NotNull))));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_list_queries_are_read_or_refused()
    {
        string[] seeds = ["state=seeding&q=movie&sort=-name&page=2&perPage=50", "sort=size&page=1&perPage=1000"];
        var mutator = new Mutator(43);
        FuzzResult result = FuzzRun.Run(output, "node api list query", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(100) : mutator.Mutate(Encoding.UTF8.GetBytes(seeds[i % seeds.Length])), input =>
            FuzzRun.Accepts<ApiException>(() =>
            {
                TorrentQuery query = TorrentQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(input))));
                Assert.True(query.Page >= 1 && query.PerPage >= 1);
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
