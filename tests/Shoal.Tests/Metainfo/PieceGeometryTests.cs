using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Primitives;

namespace Shoal.Tests.Metainfo;

public class PieceGeometryTests
{
    private const int Piece = 16384;

    private static async Task<Torrent> CreateAsync(TempFolder folder, string path, TorrentVersion version, long pieceLength = Piece) =>
        (await TorrentCreator.CreateAsync(
            Path.Combine(folder.Path, path),
            new TorrentCreationOptions { Version = version, PieceLength = pieceLength, CreationDate = null, HashingThreads = 1 })).Torrent;

    private static FileEntry File(string name, long offset, long length) => new() { Path = [name], Offset = offset, Length = length };

    private static Torrent Synthetic(TorrentVersion version, long pieceLength, params FileEntry[] files) => new()
    {
        Name = "t",
        PieceLength = pieceLength,
        PieceCount = (int)((files[^1].EndOffset + pieceLength - 1) / pieceLength),
        Version = version,
        InfoHashes = new InfoHashes(null, new InfoHash(new byte[32])),
        InfoBytes = ReadOnlyMemory<byte>.Empty,
        Files = files,
        IsMultiFile = true,
    };

    [Fact]
    public void A_files_bytes_in_a_piece_set_count_only_the_part_of_each_piece_that_is_the_files()
    {
        // Pieces of 16 KiB: a spans pieces 0-1 (ends 4 KiB into 1), b spans 1-3, c is empty, d is all of piece 4.
        FileEntry a = File("a", 0, Piece + 4096);
        FileEntry b = File("b", Piece + 4096, (3 * Piece) - 4096);
        FileEntry c = File("c", 4 * Piece, 0);
        FileEntry d = File("d", 4 * Piece, Piece);
        Torrent torrent = Synthetic(TorrentVersion.V1, Piece, a, b, c, d);
        var pieces = new PieceSet(5);
        pieces.Set(1);
        pieces.Set(3);

        Assert.Equal(4096, torrent.BytesIn(pieces, a));
        Assert.Equal((Piece - 4096) + Piece, torrent.BytesIn(pieces, b));
        Assert.Equal(0, torrent.BytesIn(pieces, c));
        Assert.Equal(0, torrent.BytesIn(pieces, d));
        pieces.SetAll();
        Assert.All(new[] { a, b, c, d }, file => Assert.Equal(file.Length, torrent.BytesIn(pieces, file)));
    }

    [Theory]
    [InlineData((3 * Piece) + 1, 4, 1)]
    [InlineData(3 * Piece, 3, Piece)]
    [InlineData(1, 1, 1)]
    [InlineData(Piece - 1, 1, Piece - 1)]
    public async Task Only_the_last_piece_of_a_v1_torrent_is_short(int size, int pieces, int lastSize)
    {
        using var folder = new TempFolder();
        folder.File("data.bin", TempFolder.RandomBytes(size, size));
        Torrent torrent = await CreateAsync(folder, "data.bin", TorrentVersion.V1);

        Assert.Equal(pieces, torrent.PieceCount);
        Assert.All(Enumerable.Range(0, pieces - 1), i => Assert.Equal(Piece, torrent.PieceSize(i)));
        Assert.Equal(lastSize, torrent.PieceSize(pieces - 1));
        Assert.Equal(size, torrent.AddressSpaceLength());
        Assert.Throws<ArgumentOutOfRangeException>(() => torrent.PieceSize(pieces));
        Assert.Throws<ArgumentOutOfRangeException>(() => torrent.PieceSize(-1));
    }

    [Fact]
    public async Task V2_pieces_end_at_the_end_of_each_file()
    {
        using var folder = new TempFolder();
        long[] sizes = [17000, 0, 40000, 5, 2 * Piece, Piece + 1, 3 * 65536 / 2, 0];
        for (int i = 0; i < sizes.Length; i++)
        {
            folder.File($"d/f{i}", TempFolder.RandomBytes((int)sizes[i], i));
        }

        Torrent torrent = await CreateAsync(folder, "d", TorrentVersion.V2);

        // Independent expectation: in file-tree order, each non-empty file starts a piece and its pieces are full except its last.
        var expected = new List<int>();
        foreach (FileEntry file in torrent.Files.Where(f => f.Length > 0))
        {
            Assert.Equal(0, file.Offset % Piece);
            Assert.Equal(expected.Count * (long)Piece, file.Offset);
            for (long left = file.Length; left > 0; left -= Piece)
            {
                expected.Add((int)Math.Min(left, Piece));
            }
        }

        Assert.DoesNotContain(torrent.Files, f => f.IsPadding);
        Assert.Equal(expected.Count, torrent.PieceCount);
        Assert.Equal(expected, Enumerable.Range(0, torrent.PieceCount).Select(torrent.PieceSize));
        Assert.Equal(sizes.Sum(), Enumerable.Range(0, torrent.PieceCount).Sum(torrent.PieceSize));
    }

    [Fact]
    public async Task V2_pieces_larger_than_a_block_end_at_file_ends_too()
    {
        using var folder = new TempFolder();
        folder.File("d/a", TempFolder.RandomBytes(70000, 1));
        folder.File("d/b", TempFolder.RandomBytes(3, 2));
        folder.File("d/c", TempFolder.RandomBytes(65536, 3));
        Torrent torrent = await CreateAsync(folder, "d", TorrentVersion.V2, 65536);

        Assert.Equal([65536, 70000 - 65536, 3, 65536], Enumerable.Range(0, torrent.PieceCount).Select(torrent.PieceSize));

        // What a peer may request: whole 16 KiB blocks into the padding that aligns each file, as libtorrent does.
        Assert.Equal([65536, 16384, 16384, 65536], Enumerable.Range(0, torrent.PieceCount).Select(torrent.AlignedPieceSize));
    }

    [Fact]
    public async Task Hybrid_pieces_are_full_because_padding_files_fill_the_gaps()
    {
        using var folder = new TempFolder();
        folder.File("d/a", TempFolder.RandomBytes(17000, 1));
        folder.File("d/b", TempFolder.RandomBytes(5, 2));
        Torrent torrent = await CreateAsync(folder, "d", TorrentVersion.Hybrid);

        Assert.Contains(torrent.Files, f => f.IsPadding);
        Assert.All(Enumerable.Range(0, torrent.PieceCount - 1), i => Assert.Equal(Piece, torrent.PieceSize(i)));
        Assert.Equal(torrent.AddressSpaceLength(), Enumerable.Range(0, torrent.PieceCount).Sum(i => (long)torrent.PieceSize(i)));
    }

    [Fact]
    public async Task FileAt_skips_empty_files_of_a_real_v1_torrent()
    {
        using var folder = new TempFolder();
        folder.File("d/a-empty", []);
        folder.File("d/b", TempFolder.RandomBytes(100, 1));
        folder.File("d/c-empty", []);
        folder.File("d/d-empty", []);
        folder.File("d/e", TempFolder.RandomBytes(50, 2));
        Torrent torrent = await CreateAsync(folder, "d", TorrentVersion.V1);
        Assert.Equal(["a-empty", "b", "c-empty", "d-empty", "e"], torrent.Files.Select(f => f.Path[^1]));

        Assert.Equal("b", torrent.FileAt(0).Path[^1]);
        Assert.Equal("b", torrent.FileAt(99).Path[^1]);
        Assert.Equal("e", torrent.FileAt(100).Path[^1]);
        Assert.Equal("e", torrent.FileAt(149).Path[^1]);
    }

    [Fact]
    public async Task FileAt_skips_an_empty_file_at_a_v2_piece_boundary()
    {
        using var folder = new TempFolder();
        folder.File("d/a", TempFolder.RandomBytes(Piece, 1));
        folder.File("d/b-empty", []);
        folder.File("d/c", TempFolder.RandomBytes(100, 2));
        Torrent torrent = await CreateAsync(folder, "d", TorrentVersion.V2);

        Assert.Equal("c", torrent.FileAt(Piece).Path[^1]);
        Assert.Equal(100, torrent.PieceSize(1));
    }

    [Fact]
    public void FileAt_finds_the_file_holding_each_offset()
    {
        // Offsets 0..9 in a, 10..10 in b, several empty files at 11, c at 11..19, then empties at the very end.
        Torrent torrent = Synthetic(
            TorrentVersion.V1,
            4,
            File("a", 0, 10),
            File("b", 10, 1),
            File("e1", 11, 0),
            File("e2", 11, 0),
            File("e3", 11, 0),
            File("c", 11, 9),
            File("e4", 20, 0));

        string[] expected = [.. Enumerable.Repeat("a", 10), "b", .. Enumerable.Repeat("c", 9)];
        Assert.Equal(expected, Enumerable.Range(0, 20).Select(offset => torrent.FileAt(offset).Path[0]));
    }

    [Fact]
    public void FileAt_skips_a_v2_empty_file_sitting_in_the_gap_before_an_aligned_file()
    {
        // v2: a ends mid-piece, the empty file sits where a ended, b starts at the next piece boundary.
        Torrent torrent = Synthetic(
            TorrentVersion.V2,
            16,
            File("a", 0, 20),
            File("empty", 20, 0),
            File("b", 32, 3));

        Assert.Equal("a", torrent.FileAt(16).Path[0]);
        Assert.Equal("b", torrent.FileAt(32).Path[0]);
        Assert.Equal([16, 4, 3], Enumerable.Range(0, torrent.PieceCount).Select(torrent.PieceSize));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(PieceGeometry.BlockSize, 1)]
    [InlineData(PieceGeometry.BlockSize + 1, 2)]
    [InlineData(4 * 1024 * 1024, 256)]
    public void BlockCount_rounds_up(int pieceSize, int blocks) => Assert.Equal(blocks, PieceGeometry.BlockCount(pieceSize));
}
