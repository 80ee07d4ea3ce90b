using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class PieceVerifierTests
{
    public static TheoryData<TorrentVersion, long, bool> Layouts => new()
    {
        { TorrentVersion.V1, 2 * StorageSamples.Block, true },
        { TorrentVersion.Hybrid, 2 * StorageSamples.Block, true },
        { TorrentVersion.Hybrid, 8 * StorageSamples.Block, true },
        { TorrentVersion.V2, StorageSamples.Block, true },
        { TorrentVersion.V2, 2 * StorageSamples.Block, true },

        // 8 blocks a piece: a 3-block file's tree is 4 leaves wide, the last piece of a bigger file 8.
        { TorrentVersion.V2, 8 * StorageSamples.Block, true },
        { TorrentVersion.V2, 8 * StorageSamples.Block, false },
        { TorrentVersion.V1, 3 * StorageSamples.Block, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Good_pieces_verify_and_a_flipped_byte_does_not(TorrentVersion version, long pieceLength, bool folder)
    {
        using var temp = new TempFolder();
        StorageSample sample = folder
            ? await StorageSamples.FolderAsync(temp, version, pieceLength)
            : await StorageSamples.SingleFileAsync(temp, version, 300_000, pieceLength);
        Torrent torrent = sample.Torrent;
        var storage = MemoryStorage.WithContent(torrent, sample.Content);
        byte[] scratch = new byte[torrent.PieceLength];

        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            byte[] data = new byte[torrent.PieceSize(piece)];
            storage.Read(torrent.PieceOffset(piece), data);

            Assert.True(PieceVerifier.Verify(torrent, piece, data), $"piece {piece}");
            Assert.True(PieceVerifier.Verify(torrent, piece, StorageSamples.Chunks(data, StorageSamples.Block)), $"piece {piece} in blocks");
            Assert.True(PieceVerifier.Verify(torrent, piece, StorageSamples.Chunks(data, 1000)), $"piece {piece} in odd chunks");
            Assert.True(PieceVerifier.VerifyPieceInStorage(torrent, storage, piece, scratch), $"piece {piece} in storage");

            data[(piece * 7919) % data.Length] ^= 0x20;
            Assert.False(PieceVerifier.Verify(torrent, piece, data), $"piece {piece} with a flipped byte");
            Assert.False(PieceVerifier.Verify(torrent, piece, StorageSamples.Chunks(data, 1000)), $"piece {piece} with a flipped byte, in chunks");
        }
    }

    [Fact]
    public async Task A_hybrid_whose_sha1_and_merkle_hashes_describe_different_data_is_caught_on_every_piece()
    {
        using var temp = new TempFolder();
        StorageSample a = await StorageSamples.FolderAsync(temp, TorrentVersion.Hybrid, 8 * StorageSamples.Block, seed: 1);
        using var other = new TempFolder();
        StorageSample b = await StorageSamples.FolderAsync(other, TorrentVersion.Hybrid, 8 * StorageSamples.Block, seed: 2);
        Torrent lie = a.Torrent with { PieceHashesV1 = b.Torrent.PieceHashesV1 };
        var storageA = MemoryStorage.WithContent(a.Torrent, a.Content);
        var storageB = MemoryStorage.WithContent(b.Torrent, b.Content);

        for (int piece = 0; piece < lie.PieceCount; piece++)
        {
            byte[] fromA = new byte[lie.PieceSize(piece)];
            storageA.Read(lie.PieceOffset(piece), fromA);
            byte[] fromB = new byte[lie.PieceSize(piece)];
            storageB.Read(lie.PieceOffset(piece), fromB);

            Assert.Equal(PieceVerdict.Passed, PieceVerifier.Judge(a.Torrent, piece, [fromA]));
            Assert.Equal(PieceVerdict.HalvesDisagree, PieceVerifier.Judge(lie, piece, [fromB]));
            Assert.Equal(PieceVerdict.HalvesDisagree, PieceVerifier.Judge(lie, piece, [fromA]));
            Assert.False(PieceVerifier.Verify(lie, piece, fromB));
            fromA[0] ^= 1;
            Assert.Equal(PieceVerdict.Failed, PieceVerifier.Judge(a.Torrent, piece, [fromA]));
        }
    }

    [Fact]
    public async Task The_sample_covers_short_pieces_and_small_files()
    {
        using var temp = new TempFolder();
        Torrent torrent = (await StorageSamples.FolderAsync(temp, TorrentVersion.V2, 8 * StorageSamples.Block)).Torrent;

        Assert.Contains(torrent.ContentFiles, f => f.Length > StorageSamples.Block * 2 && f.Length < torrent.PieceLength && !int.IsPow2(PieceGeometry.BlockCount((int)f.Length)));
        Assert.Contains(torrent.ContentFiles, f => f.Length > torrent.PieceLength && f.Length % torrent.PieceLength != 0);
        Assert.Contains(torrent.ContentFiles, f => f.Length == 0);
        Assert.Contains(Enumerable.Range(0, torrent.PieceCount), p => torrent.PieceSize(p) < torrent.PieceLength);
    }

    [Fact]
    public async Task Data_of_the_wrong_length_does_not_verify()
    {
        using var temp = new TempFolder();
        StorageSample sample = await StorageSamples.SingleFileAsync(temp, TorrentVersion.Hybrid, 40_000);
        int last = sample.Torrent.PieceCount - 1;
        byte[] tail = sample.Content[(int)sample.Torrent.PieceOffset(last)..];

        Assert.True(PieceVerifier.Verify(sample.Torrent, last, tail));
        Assert.False(PieceVerifier.Verify(sample.Torrent, last, [.. tail, 0]));
        Assert.False(PieceVerifier.Verify(sample.Torrent, last, tail.AsMemory(1).ToArray()));
    }

    [Fact]
    public async Task Without_piece_layers_only_pieces_of_small_files_can_be_checked()
    {
        using var temp = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(temp, TorrentVersion.V2);
        Torrent fromMagnet = TorrentParser.ParseInfoDictionary(sample.Torrent.InfoBytes);
        var storage = MemoryStorage.WithContent(sample.Torrent, sample.Content);
        byte[] scratch = new byte[fromMagnet.PieceLength];

        for (int piece = 0; piece < fromMagnet.PieceCount; piece++)
        {
            bool small = fromMagnet.FileAt(fromMagnet.PieceOffset(piece)).Length <= fromMagnet.PieceLength;
            Assert.Equal(small, PieceVerifier.VerifyPieceInStorage(fromMagnet, storage, piece, scratch));
        }
    }
}
