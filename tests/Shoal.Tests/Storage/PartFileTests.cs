using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

/// <summary>Skipped files are not created; their bytes in pieces shared with wanted files wait in the part file.</summary>
public sealed class PartFileTests
{
    [Theory]
    [InlineData(TorrentVersion.V1, true)]
    [InlineData(TorrentVersion.Hybrid, false)]
    public async Task A_skipped_file_is_not_created_and_gets_its_bytes_from_the_part_file_once_wanted(TorrentVersion version, bool sharesPieces)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        int skipped = Index(torrent, "big.bin");
        int neighbour = Index(torrent, "a.bin");
        FilePriority[] priorities = FilePriorities.All(torrent);
        priorities[skipped] = FilePriority.Skip;
        FilePriority[] pieces = FilePriorities.OfPieces(torrent, priorities);
        string partFile = Path.Combine(folder.Path, "download", ".parts");

        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite, partFile);
        storage.SetPriorities(priorities);
        storage.Allocate();
        var written = new List<int>();
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            if (pieces[piece] != FilePriority.Skip)
            {
                storage.Write(torrent.PieceOffset(piece), [Piece(source, torrent, piece)]);
                written.Add(piece);
            }
        }

        Assert.False(File.Exists(paths[skipped]), "the skipped file was created");
        // A hybrid's files are aligned to pieces by padding: no piece holds bytes of two files, and nothing need be kept.
        Assert.Equal(sharesPieces, File.Exists(partFile));
        Assert.Equal(Original(sample, torrent, neighbour), File.ReadAllBytes(paths[neighbour]));
        foreach (int piece in written)
        {
            Assert.Equal(Piece(source, torrent, piece), Read(storage, torrent, piece));
        }

        // Wanted again: the file is created holding the bytes the part file kept, and the part file goes.
        storage.SetPriorities(FilePriorities.All(torrent));
        Assert.False(File.Exists(partFile), "the part file outlived the last skipped file");
        byte[] expected = new byte[torrent.Files[skipped].Length];
        byte[] original = Original(sample, torrent, skipped);
        FileEntry file = torrent.Files[skipped];
        foreach (int piece in written)
        {
            long start = Math.Max(file.Offset, torrent.PieceOffset(piece));
            long end = Math.Min(file.EndOffset, torrent.PieceOffset(piece) + torrent.PieceSize(piece));
            if (start < end)
            {
                original.AsSpan((int)(start - file.Offset), (int)(end - start)).CopyTo(expected.AsSpan((int)(start - file.Offset)));
            }
        }

        Assert.Equal(sharesPieces, written.Any(piece => torrent.PieceOffset(piece) < file.EndOffset && torrent.PieceOffset(piece) + torrent.PieceSize(piece) > file.Offset));
        Assert.Equal(expected, File.ReadAllBytes(paths[skipped]));
        foreach (int piece in written)
        {
            Assert.Equal(Piece(source, torrent, piece), Read(storage, torrent, piece));
        }
    }

    [Fact]
    public async Task A_file_skipped_after_it_was_written_keeps_its_bytes_in_itself()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        string partFile = Path.Combine(folder.Path, "download", ".parts");
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite, partFile);
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            storage.Write(torrent.PieceOffset(piece), [Piece(source, torrent, piece)]);
        }

        FilePriority[] priorities = FilePriorities.All(torrent);
        priorities[Index(torrent, "big.bin")] = FilePriority.Skip;
        storage.SetPriorities(priorities);

        Assert.False(File.Exists(partFile));
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            Assert.Equal(Piece(source, torrent, piece), Read(storage, torrent, piece));
        }
    }

    private static int Index(Torrent torrent, string name) => torrent.Files.ToList().FindIndex(f => f.Path[^1] == name);

    private static byte[] Original(StorageSample sample, Torrent torrent, int index) =>
        File.ReadAllBytes(Path.Combine(sample.ContentPath, Path.Combine([.. torrent.Files[index].Path])));

    private static byte[] Piece(IPieceStorage storage, Torrent torrent, int piece)
    {
        byte[] data = new byte[torrent.PieceSize(piece)];
        storage.Read(torrent.PieceOffset(piece), data);
        return data;
    }

    private static byte[] Read(FileStorage storage, Torrent torrent, int piece) => Piece(storage, torrent, piece);
}
