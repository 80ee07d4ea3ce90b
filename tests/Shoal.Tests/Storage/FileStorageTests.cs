using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class FileStorageTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Pieces_written_in_odd_chunks_land_in_the_right_files(TorrentVersion version)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        string save = Path.Combine(folder.Path, "download");
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, save);

        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            for (int piece = torrent.PieceCount - 1; piece >= 0; piece--)
            {
                byte[] data = new byte[torrent.PieceSize(piece)];
                source.Read(torrent.PieceOffset(piece), data);
                storage.Write(torrent.PieceOffset(piece), StorageSamples.Chunks(data, 5000));
            }

            // Reads across file boundaries, padding and gaps give what the memory storage holds.
            var random = new Random(7);
            for (int i = 0; i < 200; i++)
            {
                long offset = random.NextInt64(torrent.AddressSpaceLength());
                int length = (int)Math.Min(random.Next(1, 100_000), torrent.AddressSpaceLength() - offset);
                byte[] expected = new byte[length];
                byte[] actual = new byte[length];
                source.Read(offset, expected);
                storage.Read(offset, actual);
                Assert.Equal(expected, actual);
            }
        }

        for (int i = 0; i < torrent.Files.Count; i++)
        {
            FileEntry file = torrent.Files[i];
            if (file.IsPadding)
            {
                continue;
            }

            string original = Path.Combine(sample.ContentPath, Path.Combine([.. file.Path]));
            if (file.Length == 0)
            {
                Assert.False(File.Exists(paths[i]), "empty files are created only by Allocate");
            }
            else
            {
                Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(paths[i]));
            }
        }
    }

    [Theory]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Padding_and_gaps_read_as_zeros_and_writes_to_them_are_dropped(TorrentVersion version)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite);
        byte[] ones = new byte[torrent.AddressSpaceLength()];
        Array.Fill(ones, (byte)0xFF);
        storage.Write(0, [ones]);

        byte[] back = new byte[ones.Length];
        storage.Read(0, back);
        var expected = new byte[ones.Length];
        foreach (FileEntry file in torrent.ContentFiles)
        {
            expected.AsSpan((int)file.Offset, (int)file.Length).Fill(0xFF);
        }

        Assert.Equal(expected, back);
        Assert.Contains((byte)0, expected);
        int created = 0;
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            if (torrent.Files[i] is { IsPadding: false, Length: > 0 } file)
            {
                Assert.Equal(file.Length, new FileInfo(paths[i]).Length);
                created++;
            }
        }

        Assert.Equal(created, Directory.EnumerateFiles(Path.Combine(folder.Path, "download"), "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Files_marked_executable_bep_47_x_are_created_runnable_by_whoever_may_read_them()
    {
        using var folder = new TempFolder();
        string tool = folder.File("content/tool.sh", "#!/bin/sh\necho hi\n"u8.ToArray());
        string empty = folder.File("content/run-empty", []);
        folder.File("content/readme.txt", TempFolder.RandomBytes(5_000, 3));
        File.SetUnixFileMode(tool, File.GetUnixFileMode(tool) | UnixFileMode.UserExecute);
        File.SetUnixFileMode(empty, File.GetUnixFileMode(empty) | UnixFileMode.UserExecute);
        StorageSample sample = await StorageSamples.CreateAsync(Path.Combine(folder.Path, "content"), TorrentVersion.V1, 2 * StorageSamples.Block);
        Torrent torrent = sample.Torrent;
        Assert.Equal(["readme.txt:", "run-empty:x", "tool.sh:x"], torrent.Files.Select(f => $"{f.DisplayPath}:{f.Attributes}").Order(StringComparer.Ordinal));

        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            storage.Allocate();
            storage.Write(0, [sample.Content]);
        }

        for (int i = 0; i < torrent.Files.Count; i++)
        {
            UnixFileMode mode = File.GetUnixFileMode(paths[i]);
            UnixFileMode readers = mode & (UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            UnixFileMode runners = mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            Assert.Equal(torrent.Files[i].IsExecutable ? (UnixFileMode)((int)readers >> 2) : UnixFileMode.None, runners);
        }
    }

    [Fact]
    public void Allocate_creates_sparse_files_at_their_final_length_and_empty_files_too()
    {
        using var folder = new TempFolder();
        const long Big = 1L << 30;
        Torrent torrent = HandMadeV1("files", (["big"], Big), (["sub", "empty"], 0), (["sub", "small"], 10));
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, folder.Path);
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            storage.Allocate();
            storage.Write(Big + 2, [new byte[] { 1, 2, 3 }]);
            storage.Flush();
        }

        Assert.Equal(Big, new FileInfo(paths[0]).Length);
        Assert.Equal(0, new FileInfo(paths[1]).Length);
        Assert.Equal([0, 0, 1, 2, 3, 0, 0, 0, 0, 0], File.ReadAllBytes(paths[2]));
        if (AllocatedKiB(paths[0]) is long allocated)
        {
            Assert.True(allocated < 1024, $"{allocated} KiB allocated for a sparse file of 1 GiB");
        }
    }

    [Fact]
    public async Task Read_only_storage_reads_content_in_place_and_never_creates_anything()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        using (var storage = new FileStorage(torrent, FileStorage.PathsForContent(torrent, sample.ContentPath), StorageAccess.ReadOnly))
        {
            byte[] all = new byte[torrent.AddressSpaceLength()];
            storage.Read(0, all);
            Assert.Equal(source.Contents.ToArray(), all);
            Assert.True(storage.IsOnDisk(0, all.Length));
        }

        string empty = Path.Combine(folder.Path, "nothing-here");
        using (var storage = new FileStorage(torrent, FileStorage.PathsInDownloadFolder(torrent, empty), StorageAccess.ReadOnly))
        {
            byte[] all = new byte[torrent.AddressSpaceLength()];
            Array.Fill(all, (byte)7);
            storage.Read(0, all);
            Assert.All(all, b => Assert.Equal(0, b));
            Assert.False(storage.IsOnDisk(0, 1));
            Assert.Throws<InvalidOperationException>(() => storage.Write(0, [new byte[10]]));
            Assert.Throws<InvalidOperationException>(storage.Allocate);
            storage.Flush();
        }

        Assert.False(Directory.Exists(empty));
    }

    [Fact]
    public async Task A_short_file_reads_as_zeros_past_its_end()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.SingleFileAsync(folder, TorrentVersion.V1, 100_000);
        using (var stream = new FileStream(sample.ContentPath, FileMode.Open))
        {
            stream.SetLength(60_000);
        }

        using var storage = new FileStorage(sample.Torrent, FileStorage.PathsForContent(sample.Torrent, sample.ContentPath), StorageAccess.ReadOnly);
        byte[] data = new byte[100_000];
        Array.Fill(data, (byte)7);
        storage.Read(0, data);

        Assert.Equal(sample.Content.AsSpan(0, 60_000).ToArray(), data.AsSpan(0, 60_000).ToArray());
        Assert.All(data.AsSpan(60_000).ToArray(), b => Assert.Equal(0, b));
        Assert.True(storage.IsOnDisk(0, 60_000));
        Assert.False(storage.IsOnDisk(50_000, 10_001));
        Assert.Equal(60_000, new FileInfo(sample.ContentPath).Length);
    }

    [Fact]
    public async Task Paths_follow_the_torrent_layout()
    {
        using var folder = new TempFolder();
        StorageSample multi = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        StorageSample single = await StorageSamples.SingleFileAsync(folder, TorrentVersion.V1, 1000);
        string save = Path.Combine(folder.Path, "save");

        IReadOnlyList<string> download = FileStorage.PathsInDownloadFolder(multi.Torrent, save);
        IReadOnlyList<string> content = FileStorage.PathsForContent(multi.Torrent, Path.Combine(folder.Path, "elsewhere"));
        for (int i = 0; i < multi.Torrent.Files.Count; i++)
        {
            FileEntry file = multi.Torrent.Files[i];
            if (!file.IsPadding)
            {
                Assert.Equal(Path.Combine([save, "content", .. file.Path]), download[i]);
                Assert.Equal(Path.Combine([folder.Path, "elsewhere", .. file.Path]), content[i]);
            }
        }

        Assert.Equal([Path.Combine(save, "single.bin")], FileStorage.PathsInDownloadFolder(single.Torrent, save));
        Assert.Equal([Path.Combine(folder.Path, "renamed")], FileStorage.PathsForContent(single.Torrent, Path.Combine(folder.Path, "renamed")));
    }

    [Theory]
    [InlineData("..", "x")]
    [InlineData("a", "..")]
    [InlineData("/etc", "passwd")]
    [InlineData("a/../../b", "c")]
    public async Task Paths_cannot_escape_the_save_folder(string first, string second)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1);
        FileEntry hostile = sample.Torrent.Files[0] with { Path = [first, second] };
        Torrent torrent = sample.Torrent with { Files = [hostile, .. sample.Torrent.Files.Skip(1)] };

        Assert.Throws<MetainfoException>(() => FileStorage.PathsInDownloadFolder(torrent, folder.Path));
        Assert.Throws<MetainfoException>(() => FileStorage.PathsForContent(torrent, folder.Path));
        Assert.Throws<MetainfoException>(() => FileStorage.PathsInDownloadFolder(sample.Torrent with { Name = ".." }, folder.Path));
    }

    [Fact]
    public async Task Failures_name_the_file_and_the_cause()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1);
        Torrent torrent = sample.Torrent;

        // A file where the torrent's folder should be.
        folder.File("save/content", [1]);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "save"));
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite);

        var error = Assert.Throws<StorageException>(() => storage.Write(0, [new byte[100]]));
        Assert.StartsWith($"cannot create '{paths[0]}': ", error.Message, StringComparison.Ordinal);
        byte[] zeros = new byte[100];
        storage.Read(0, zeros);
    }

    /// <summary>
    /// Pieces go to disk past the page cache where they are aligned (on a file system that allows it), through a buffer
    /// smaller than a piece; the last, short piece, unaligned, through the page cache. Both read back, and survive a reopen.
    /// </summary>
    [Fact]
    public async Task Pieces_larger_than_the_direct_write_buffer_and_an_unaligned_last_piece_land_whole()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.SingleFileAsync(folder, TorrentVersion.V1, (3 * 1024 * 1024) + 5_000, pieceLength: 1024 * 1024);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite))
        {
            Parallel.For(0, torrent.PieceCount, new ParallelOptions { MaxDegreeOfParallelism = 2 }, piece =>
            {
                byte[] data = new byte[torrent.PieceSize(piece)];
                source.Read(torrent.PieceOffset(piece), data);
                storage.Write(torrent.PieceOffset(piece), StorageSamples.Chunks(data, StorageSamples.Block));
            });
            storage.Flush();
        }

        Assert.Equal(sample.Content, await File.ReadAllBytesAsync(paths[0]));
    }

    [Fact]
    public async Task Concurrent_writes_of_distinct_pieces_all_land()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1, pieceLength: StorageSamples.Block);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite);

        Parallel.For(0, torrent.PieceCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, piece =>
        {
            byte[] data = new byte[torrent.PieceSize(piece)];
            source.Read(torrent.PieceOffset(piece), data);
            storage.Write(torrent.PieceOffset(piece), [data]);
        });

        byte[] all = new byte[torrent.AddressSpaceLength()];
        storage.Read(0, all);
        Assert.Equal(source.Contents.ToArray(), all);
    }

    [Fact]
    public void Disposed_storage_refuses_work()
    {
        using var folder = new TempFolder();
        Torrent torrent = HandMadeV1("x", (["f"], 10));
        var storage = new FileStorage(torrent, FileStorage.PathsInDownloadFolder(torrent, folder.Path), StorageAccess.ReadWrite);
        storage.Write(0, [new byte[10]]);
        storage.Dispose();
        storage.Dispose();
        Assert.Throws<ObjectDisposedException>(() => storage.Read(0, new byte[1]));
    }

    /// <summary>A v1 torrent with made-up piece hashes, for layouts too big to hash in a test.</summary>
    internal static Torrent HandMadeV1(string name, params (string[] Path, long Length)[] files)
    {
        const long PieceLength = 4L * 1024 * 1024;
        long total = files.Sum(f => f.Length);
        var list = new BList(files.Select(f => new BDictionary()
            .Set("length", new BInteger(f.Length))
            .Set("path", new BList(f.Path.Select(p => new BString(p))))));
        var info = new BDictionary()
            .Set("name", new BString(name))
            .Set("piece length", new BInteger(PieceLength))
            .Set("pieces", new BString(new byte[(total + PieceLength - 1) / PieceLength * 20]))
            .Set("files", list);
        return TorrentParser.Parse(new BDictionary().Set("info", info).Encode());
    }

    // What du reports; null where du is not available.
    private static long? AllocatedKiB(string path)
    {
        try
        {
            using var du = Process.Start(new ProcessStartInfo("du", ["-k", path]) { RedirectStandardOutput = true });
            string output = du!.StandardOutput.ReadToEnd();
            du.WaitForExit();
            return du.ExitCode == 0 ? long.Parse(output.Split('\t')[0], CultureInfo.InvariantCulture) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
