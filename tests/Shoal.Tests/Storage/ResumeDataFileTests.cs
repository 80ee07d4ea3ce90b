using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class ResumeDataFileTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Saved_resume_data_loads_back_and_matches_unchanged_files(TorrentVersion version)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.Set(0);
        pieces.Set(torrent.PieceCount - 1);
        ResumeData data = ResumeDataFile.Capture(torrent, paths, pieces);
        pieces.Set(1);
        string path = Path.Combine(folder.Path, "state", "x.resume");

        await ResumeDataFile.SaveAsync(path, data, CancellationToken.None);
        ResumeData? loaded = ResumeDataFile.TryLoad(path, torrent);

        Assert.NotNull(loaded);
        Assert.Equal(torrent.InfoHashes.ForWire, loaded.InfoHash);
        Assert.Equal(2, loaded.Pieces.Count);
        Assert.Equal(data.Pieces.AsSpan().ToArray(), loaded.Pieces.AsSpan().ToArray());
        Assert.Equal(data.Files, loaded.Files);
        Assert.Equal(torrent.ContentFiles.Count(), loaded.Files.Count);
        Assert.All(loaded.Files, f => Assert.True(f.Exists));
        Assert.True(ResumeDataFile.Matches(loaded, torrent, paths));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task A_changed_modification_time_or_size_does_not_match()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);
        string file = paths[torrent.Files.ToList().FindIndex(f => f.DisplayPath == "c.dat")];
        ResumeData data = ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount));

        DateTime written = File.GetLastWriteTimeUtc(file);
        File.SetLastWriteTimeUtc(file, written.AddSeconds(-5));
        Assert.False(ResumeDataFile.Matches(data, torrent, paths));
        File.SetLastWriteTimeUtc(file, written);
        Assert.True(ResumeDataFile.Matches(data, torrent, paths));

        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(100);
        }

        File.SetLastWriteTimeUtc(file, written);
        Assert.False(ResumeDataFile.Matches(data, torrent, paths));
    }

    [Fact]
    public async Task A_missing_file_matches_only_a_file_recorded_as_missing()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        string resume = Path.Combine(folder.Path, "r");
        await ResumeDataFile.SaveAsync(resume, ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount)), CancellationToken.None);
        ResumeData data = ResumeDataFile.TryLoad(resume, torrent)!;

        Assert.All(data.Files, f => Assert.False(f.Exists));
        Assert.True(ResumeDataFile.Matches(data, torrent, paths));
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            storage.Write(0, [new byte[10]]);
        }

        Assert.False(ResumeDataFile.Matches(data, torrent, paths));
    }

    [Fact]
    public async Task Garbage_missing_files_and_other_torrents_load_as_null()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        StorageSample other = await StorageSamples.SingleFileAsync(folder, TorrentVersion.Hybrid, 1000);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);
        string path = Path.Combine(folder.Path, "resume");
        await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount)), CancellationToken.None);
        byte[] good = File.ReadAllBytes(path);

        Assert.Null(ResumeDataFile.TryLoad(Path.Combine(folder.Path, "nothing"), torrent));
        Assert.Null(ResumeDataFile.TryLoad(folder.Path, torrent));
        Assert.Null(ResumeDataFile.TryLoad(path, other.Torrent));

        var random = new Random(3);
        List<byte[]> garbage =
        [
            [],
            TempFolder.RandomBytes(500, 9),
            good[..^1],
            [.. good, (byte)'e'],
            new BList().Encode(),
            Edit(good, d => d.Set("shoal resume", new BInteger(2))),
            Edit(good, d => d.Set("pieces", new BString(new byte[1]))),
            Edit(good, d => d.Set("pieces", new BString(Enumerable.Repeat((byte)0xFF, PieceSet.ByteLengthFor(torrent.PieceCount)).ToArray()))),
            Edit(good, d => d.Set("files", new BList())),
            Edit(good, d => d.Set("files", new BList(((BList)d["files"]!).Select((f, i) => i == 1 ? new BDictionary().Set("length", new BInteger(-5)) : f)))),
            Edit(good, d => d.Set("files", new BList(((BList)d["files"]!).Select((f, i) => i == 1 ? new BInteger(1) : f)))),
            Edit(good, d => d.Set("files", new BList(((BList)d["files"]!).Select((f, i) => i == 1
                ? ((BDictionary)f).Set("mtime", new BInteger(long.MaxValue)) : f)))),
            Edit(good, d => d.Set("files", new BList(((BList)d["files"]!).Select((f, i) => i == 1
                ? ((BDictionary)f).Set("mtime ns", new BInteger(1_000_000_000)) : f)))),
        ];
        for (int i = 0; i < 200; i++)
        {
            byte[] mutated = [.. good];
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            garbage.Add(mutated);
        }

        // Loading never throws; random one-byte changes may still be valid resume data (a piece bit, an mtime).
        foreach (byte[] bytes in garbage)
        {
            File.WriteAllBytes(path, bytes);
            ResumeDataFile.TryLoad(path, torrent);
        }

        foreach (byte[] bytes in garbage[..13])
        {
            File.WriteAllBytes(path, bytes);
            Assert.Null(ResumeDataFile.TryLoad(path, torrent));
        }
    }

    [Fact]
    public async Task Modification_times_keep_their_full_precision()
    {
        using var folder = new TempFolder();
        Torrent torrent = FileStorageTests.HandMadeV1("x", (["a"], 1), (["b"], 1), (["c"], 1));
        var data = new ResumeData(
            torrent.InfoHashes.ForWire,
            new PieceSet(torrent.PieceCount),
            [
                new ResumeFileState(1, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567)),
                new ResumeFileState(1, new DateTime(1901, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(7)),
                ResumeFileState.Missing,
            ]);
        string path = Path.Combine(folder.Path, "r");

        await ResumeDataFile.SaveAsync(path, data, CancellationToken.None);

        Assert.Equal(data.Files, ResumeDataFile.TryLoad(path, torrent)!.Files);
    }

    private static byte[] Edit(byte[] encoded, Action<BDictionary> edit)
    {
        BDictionary root = BencodeDecoder.DecodeDictionary(encoded.ToArray());
        edit(root);
        return root.Encode();
    }
}
