using BenchmarkDotNet.Attributes;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Primitives;
using Shoal.Storage;

namespace Shoal.Benchmarks;

/// <summary>Checking 256 MiB of content in place (page cache warm), as a recheck does.</summary>
[MemoryDiagnoser]
public class StorageCheckerBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private string _folder = "";
    private Torrent _torrent = null!;
    private IReadOnlyList<string> _paths = [];

    [Params(TorrentVersion.V1, TorrentVersion.V2)]
    public TorrentVersion Version { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("shoal-bench-").FullName;
        string file = Path.Combine(_folder, "content.bin");
        var data = new byte[Size];
        new Random(1).NextBytes(data);
        File.WriteAllBytes(file, data);
        var options = new TorrentCreationOptions { Version = Version, PieceLength = 512 * 1024 };
        _torrent = TorrentCreator.CreateAsync(file, options).GetAwaiter().GetResult().Torrent;
        _paths = FileStorage.PathsForContent(_torrent, file);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public PieceSet Check()
    {
        using var storage = new FileStorage(_torrent, _paths, StorageAccess.ReadOnly);
        return StorageChecker.CheckAsync(_torrent, storage, null, CancellationToken.None).GetAwaiter().GetResult();
    }
}
