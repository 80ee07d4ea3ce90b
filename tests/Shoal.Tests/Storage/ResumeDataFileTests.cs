using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class ResumeDataFileTests
{
    [Theory]
    [InlineData(TorrentVersion.V1, false)]
    [InlineData(TorrentVersion.V2, true)]
    [InlineData(TorrentVersion.Hybrid, true)]
    public async Task Saved_resume_data_loads_back_and_matches_unchanged_files(TorrentVersion version, bool stillWriting)
    {
        using var folder = new TempFolder();
        (Torrent torrent, IReadOnlyList<string> paths) = await ContentAsync(folder, version);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.Set(0);
        pieces.Set(torrent.PieceCount - 1);
        ResumeData data = ResumeDataFile.Capture(torrent, paths, pieces, stillWriting);
        pieces.Set(1);
        string path = Path.Combine(folder.Path, "state", "x.resume");

        await ResumeDataFile.SaveAsync(path, data, CancellationToken.None);
        ResumeData? loaded = ResumeDataFile.TryLoad(path, torrent);

        Assert.NotNull(loaded);
        Assert.Equal(torrent.InfoHashes.ForWire, loaded.InfoHash);
        Assert.Equal(2, loaded.Pieces.Count);
        Assert.Equal(data.Pieces.AsSpan().ToArray(), loaded.Pieces.AsSpan().ToArray());
        Assert.Equal(data.Files, loaded.Files);
        Assert.Equal(stillWriting, loaded.StillWriting);
        Assert.Equal(torrent.ContentFiles.Count(), loaded.Files.Count);
        Assert.All(loaded.Files, f => Assert.True(f.Exists));
        Assert.True(ResumeDataFile.Matches(loaded, torrent, paths));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task A_changed_modification_time_or_size_does_not_match()
    {
        using var folder = new TempFolder();
        (Torrent torrent, IReadOnlyList<string> paths) = await ContentAsync(folder, TorrentVersion.Hybrid);
        string file = PathOf(torrent, paths, "c.dat");
        ResumeData data = ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount), stillWriting: false);

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
        await ResumeDataFile.SaveAsync(resume, ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount), stillWriting: false), CancellationToken.None);
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
        await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(torrent, paths, new PieceSet(torrent.PieceCount), stillWriting: false), CancellationToken.None);
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
            Edit(good, d => d.Set("shoal resume", new BInteger(3))),
            Edit(good, d => d.Set("still writing", new BInteger(2))),
            Without(good, "still writing"),
            Edit(Without(good, "still writing"), d => d.Set("shoal resume", new BInteger(1)).Set("still writing", new BInteger(0))),
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

        foreach (byte[] bytes in garbage[..16])
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
            ],
            StillWriting: false);
        string path = Path.Combine(folder.Path, "r");

        await ResumeDataFile.SaveAsync(path, data, CancellationToken.None);

        Assert.Equal(data.Files, ResumeDataFile.TryLoad(path, torrent)!.Files);
    }

    [Fact]
    public async Task A_version_1_file_loads_as_a_record_after_which_nothing_was_written()
    {
        using var folder = new TempFolder();
        (Torrent torrent, IReadOnlyList<string> paths) = await ContentAsync(folder, TorrentVersion.V1);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.Set(2);
        string path = Path.Combine(folder.Path, "r");
        await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(torrent, paths, pieces, stillWriting: true), CancellationToken.None);
        File.WriteAllBytes(path, Edit(Without(File.ReadAllBytes(path), "still writing"), d => d.Set("shoal resume", new BInteger(1))));

        ResumeData? loaded = ResumeDataFile.TryLoad(path, torrent);

        Assert.NotNull(loaded);
        Assert.False(loaded.StillWriting);
        Assert.Equal([2], Enumerable.Range(0, torrent.PieceCount).Where(p => loaded.Pieces[p]));
    }

    [Fact]
    public async Task A_record_after_which_nothing_was_written_is_trusted_only_while_the_files_are_unchanged()
    {
        using var folder = new TempFolder();
        (Torrent torrent, IReadOnlyList<string> paths) = await ContentAsync(folder, TorrentVersion.Hybrid);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.SetAll();
        ResumeData settled = ResumeDataFile.Capture(torrent, paths, pieces, stillWriting: false);

        TrustedPieces? trusted = ResumeDataFile.Trust(settled, torrent, paths);
        Assert.NotNull(trusted);
        Assert.False(trusted.OthersMayBeOnDisk);
        Assert.True(trusted.Pieces.IsComplete);

        // Someone edits a file in place, keeping its size: its modification time moves on.
        string file = PathOf(torrent, paths, "c.dat");
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(1));
        Assert.Null(ResumeDataFile.Trust(settled, torrent, paths));
    }

    [Fact]
    public async Task A_record_written_while_still_writing_is_trusted_after_later_writes_unless_a_size_changed_or_a_time_went_back()
    {
        using var folder = new TempFolder();
        (Torrent torrent, IReadOnlyList<string> paths) = await ContentAsync(folder, TorrentVersion.Hybrid);
        var pieces = new PieceSet(torrent.PieceCount);
        pieces.Set(0);
        ResumeData running = ResumeDataFile.Capture(torrent, paths, pieces, stillWriting: true);
        string file = PathOf(torrent, paths, "big.bin");
        DateTime recorded = File.GetLastWriteTimeUtc(file);

        // The run went on writing pieces after the record, then was killed.
        File.SetLastWriteTimeUtc(file, recorded.AddSeconds(20));
        TrustedPieces? trusted = ResumeDataFile.Trust(running, torrent, paths);
        Assert.NotNull(trusted);
        Assert.True(trusted.OthersMayBeOnDisk);
        Assert.Equal([0], Enumerable.Range(0, torrent.PieceCount).Where(p => trusted.Pieces[p]));

        File.SetLastWriteTimeUtc(file, recorded.AddSeconds(-1));
        Assert.Null(ResumeDataFile.Trust(running, torrent, paths));

        File.SetLastWriteTimeUtc(file, recorded);
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length - 1);
        }

        File.SetLastWriteTimeUtc(file, recorded.AddSeconds(20));
        Assert.Null(ResumeDataFile.Trust(running, torrent, paths));
    }

    /// <summary>The sample folder's torrent and where its files are.</summary>
    private static async Task<(Torrent Torrent, IReadOnlyList<string> Paths)> ContentAsync(TempFolder folder, TorrentVersion version)
    {
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        return (sample.Torrent, FileStorage.PathsForContent(sample.Torrent, sample.ContentPath));
    }

    private static string PathOf(Torrent torrent, IReadOnlyList<string> paths, string displayPath) =>
        paths[torrent.Files.ToList().FindIndex(f => f.DisplayPath == displayPath)];

    private static byte[] Without(byte[] encoded, string key)
    {
        var copy = new BDictionary();
        foreach ((BString name, BValue value) in BencodeDecoder.DecodeDictionary(encoded.ToArray()))
        {
            if (name.Text != key)
            {
                copy.Set(name, value);
            }
        }

        return copy.Encode();
    }

    private static byte[] Edit(byte[] encoded, Action<BDictionary> edit)
    {
        BDictionary root = BencodeDecoder.DecodeDictionary(encoded.ToArray());
        edit(root);
        return root.Encode();
    }
}
