using System.Security.Cryptography;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;

namespace Shoal.Tests.Metainfo;

public class TorrentCreatorTests
{
    private const int Piece = 16384;

    private static Task<CreatedTorrent> Create(string path, TorrentVersion version, long? pieceLength = Piece) =>
        TorrentCreator.CreateAsync(path, new TorrentCreationOptions { Version = version, PieceLength = pieceLength, CreationDate = null });

    [Fact]
    public async Task V1_piece_hashes_are_sha1_of_each_piece()
    {
        using var folder = new TempFolder();
        byte[] data = TempFolder.RandomBytes((3 * Piece) + 1, 1);
        string file = folder.File("data.bin", data);
        Torrent torrent = (await Create(file, TorrentVersion.V1)).Torrent;

        Assert.Equal(4, torrent.PieceCount);
        for (int i = 0; i < 4; i++)
        {
            byte[] expected = SHA1.HashData(data.AsSpan(i * Piece, Math.Min(Piece, data.Length - (i * Piece))));
            Assert.Equal(expected, torrent.PieceHashesV1.Slice(i * 20, 20).ToArray());
        }

        Assert.Null(torrent.InfoHashes.V2);
        Assert.Equal(SHA1.HashData(torrent.InfoBytes.Span), torrent.InfoHashes.V1!.Span.ToArray());
    }

    [Fact]
    public async Task V2_root_of_a_one_block_file_is_the_block_hash()
    {
        using var folder = new TempFolder();
        byte[] data = TempFolder.RandomBytes(1000, 2);
        Torrent torrent = (await Create(folder.File("small", data), TorrentVersion.V2)).Torrent;

        Assert.Equal(SHA256.HashData(data), torrent.Files[0].PiecesRoot!.Value.ToArray());
        Assert.Empty(torrent.PieceLayers);
        Assert.Null(torrent.InfoHashes.V1);
    }

    [Fact]
    public async Task V2_root_of_a_multi_piece_file_is_built_from_its_piece_layer()
    {
        using var folder = new TempFolder();
        byte[] data = TempFolder.RandomBytes((5 * Piece * 2) + 7, 3);
        Torrent torrent = (await Create(folder.File("big", data), TorrentVersion.V2, 2 * Piece)).Torrent;

        // Independent computation: hash every 16 KiB block, pad to a power of two with zero hashes, reduce.
        int blocks = (data.Length + Piece - 1) / Piece;
        var layer = new List<byte[]>();
        for (int b = 0; b < blocks; b++)
        {
            layer.Add(SHA256.HashData(data.AsSpan(b * Piece, Math.Min(Piece, data.Length - (b * Piece)))));
        }

        while (layer.Count < 16)
        {
            layer.Add(new byte[32]);
        }

        while (layer.Count > 1)
        {
            layer = [.. layer.Chunk(2).Select(pair => SHA256.HashData([.. pair[0], .. pair[1]]))];
        }

        Assert.Equal(layer[0], torrent.Files[0].PiecesRoot!.Value.ToArray());
        Assert.Equal(6 * 32, Assert.Single(torrent.PieceLayers).Value.Length);
    }

    [Fact]
    public async Task Hybrid_folders_pad_every_unaligned_file_like_libtorrent()
    {
        using var folder = new TempFolder();
        folder.File("d/b.txt", TempFolder.RandomBytes(17000, 4));
        folder.File("d/a.bin", TempFolder.RandomBytes(40000, 5));
        folder.File("d/empty", []);
        folder.File("d/sub/z", TempFolder.RandomBytes(5, 6));
        Directory.CreateDirectory(Path.Combine(folder.Path, "d", "empty-folder"));
        Torrent torrent = (await Create(Path.Combine(folder.Path, "d"), TorrentVersion.Hybrid)).Torrent;

        Assert.Equal(
            ["a.bin", ".pad/9152", "b.txt", ".pad/15768", "empty", "sub/z", ".pad/16379"],
            torrent.Files.Select(f => f.DisplayPath));
        Assert.Equal(TorrentVersion.Hybrid, torrent.Version);
        Assert.Equal(6, torrent.PieceCount);
        Assert.Equal(57005, torrent.TotalSize);
        Assert.All(torrent.ContentFiles.Where(f => f.Length > 0), f => Assert.Equal(0, f.Offset % Piece));
    }

    [Fact]
    public async Task Links_to_files_are_followed_and_links_to_folders_are_not()
    {
        using var folder = new TempFolder();
        folder.File("d/sub/f", [1, 2, 3]);
        File.CreateSymbolicLink(Path.Combine(folder.Path, "d", "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "d", "link-to-f"), "sub/f");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "d", "dangling"), "nowhere");
        Torrent torrent = (await Create(Path.Combine(folder.Path, "d"), TorrentVersion.V2)).Torrent;

        Assert.Equal(["link-to-f", "sub/f"], torrent.ContentFiles.Select(f => f.DisplayPath));
        Assert.Equal(torrent.Files[0].PiecesRoot!.Value.ToArray(), torrent.Files[1].PiecesRoot!.Value.ToArray());
    }

    [Fact]
    public async Task Empty_content_is_refused()
    {
        using var folder = new TempFolder();
        string empty = folder.File("empty", []);
        var error = await Assert.ThrowsAsync<TorrentCreationException>(() => Create(empty, TorrentVersion.Hybrid));
        Assert.Contains("holds no data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TorrentVersion.V2, 3 * Piece)]
    [InlineData(TorrentVersion.Hybrid, 1000)]
    [InlineData(TorrentVersion.V1, 1000)]
    public async Task Bad_piece_sizes_are_refused(TorrentVersion version, long pieceLength)
    {
        using var folder = new TempFolder();
        string file = folder.File("x", [1, 2, 3]);
        await Assert.ThrowsAsync<TorrentCreationException>(() => Create(file, version, pieceLength));
    }

    [Theory]
    [InlineData(1L, 16384L)]
    [InlineData(2_684_355L, 16384L)]
    [InlineData(2_684_356L, 32768L)]
    [InlineData(1L << 30, 512L * 1024)]
    [InlineData(1L << 40, 16L * 1024 * 1024)]
    public void Piece_length_follows_libtorrent(long size, long expected) =>
        Assert.Equal(expected, PieceLengthChooser.Choose(size));

    [Fact]
    public async Task Metadata_options_are_written()
    {
        using var folder = new TempFolder();
        string file = folder.File("x", [1, 2, 3]);
        var options = new TorrentCreationOptions
        {
            Trackers = ["http://a.example/announce", "udp://b.example:6969"],
            WebSeeds = ["http://seed.example/x"],
            IsPrivate = true,
            Comment = "hello",
            CreationDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        };
        Torrent torrent = (await TorrentCreator.CreateAsync(file, options)).Torrent;

        Assert.True(torrent.IsPrivate);
        Assert.Equal("hello", torrent.Comment);
        Assert.Equal([["http://a.example/announce"], ["udp://b.example:6969"]], torrent.AnnounceTiers);
        Assert.Equal(["http://seed.example/x"], torrent.WebSeeds);
        Assert.Equal(1_700_000_000, torrent.CreationDate!.Value.ToUnixTimeSeconds());
        Assert.StartsWith("Shoal/", torrent.CreatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_piece_layer_is_rejected()
    {
        using var folder = new TempFolder();
        string file = folder.File("big", TempFolder.RandomBytes(3 * Piece, 7));
        byte[] bytes = (await Create(file, TorrentVersion.V2)).FileBytes;
        var root = BencodeDecoder.DecodeDictionary(bytes);
        var layers = (BDictionary)root["piece layers"]!;
        byte[] layer = ((BString)layers[0].Value).Bytes.ToArray();
        layer[5] ^= 1;
        layers.Set(layers[0].Key, new BString(layer));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(root.Encode()));
        Assert.Contains("does not match its pieces root", error.Message, StringComparison.Ordinal);
    }
}
