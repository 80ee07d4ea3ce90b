using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Storage;

/// <summary>Random and mutated resume data files: loading never throws, and what loads fits the torrent.</summary>
[Trait("Category", "Fuzz")]
public class ResumeDataFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;

    [Fact]
    public async Task Mutated_resume_data_loads_as_nothing_or_as_data_for_the_torrent()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.Set(0);
        byte[] present = ResumeDataCodec.Encode(ResumeDataFile.Capture(torrent, paths, pieces, stillWriting: true));
        byte[] missing = ResumeDataCodec.Encode(new ResumeData(torrent.InfoHashes.ForWire, pieces, [.. torrent.ContentFiles.Select(_ => ResumeFileState.Missing)], StillWriting: false));
        byte[][] seeds = [present, missing];
        var mutator = new Mutator(57);

        FuzzResult result = FuzzRun.Run(output, "resume data", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(seeds[i % seeds.Length]), input =>
        {
            ResumeData? data = ResumeDataCodec.TryDecode(input, torrent);
            if (data is not null)
            {
                Assert.Equal(torrent.PieceCount, data.Pieces.Length);
                // One state per content file, then the part file's when the record was made with one.
                Assert.InRange(data.Files.Count - torrent.ContentFiles.Count(), 0, 1);
            }

            return data is not null;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
