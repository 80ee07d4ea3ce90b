using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Tests.Metainfo.Hashing;

namespace Shoal.Tests.Storage;

public class PieceBatchVerifierTests
{
    private const int PieceLength = 2 * StorageSamples.Block;

    [SixteenLanesTheory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Sixteen_pieces_checked_together_get_the_verdicts_one_at_a_time_gives(TorrentVersion version)
    {
        using var temp = new TempFolder();
        StorageSample sample = await StorageSamples.SingleFileAsync(temp, version, (16 * PieceLength) + 10_000, PieceLength);
        Torrent torrent = sample.Torrent;
        var storage = MemoryStorage.WithContent(torrent, sample.Content);
        var batch = new List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>();
        for (int piece = 0; piece < 16; piece++)
        {
            byte[] data = new byte[PieceLength];
            storage.Read(torrent.PieceOffset(piece), data);
            if (piece is 3 or 15)
            {
                data[(piece * 7919) % data.Length] ^= 0x20;
            }

            batch.Add((piece, StorageSamples.Chunks(data, StorageSamples.Block)));
        }

        // Received in any order, and fewer than sixteen: the lanes after the batch are unused.
        batch.Reverse();
        foreach (int count in new[] { 16, 7 })
        {
            var verdicts = new PieceVerdict[count];
            new PieceBatchVerifier().Judge(torrent, batch.GetRange(0, count), verdicts);
            for (int i = 0; i < count; i++)
            {
                (int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) = batch[i];
                Assert.Equal(PieceVerifier.Judge(torrent, piece, blocks), verdicts[i]);
                Assert.Equal(piece is 3 or 15 ? PieceVerdict.Failed : PieceVerdict.Passed, verdicts[i]);
            }
        }
    }

    [SixteenLanesFact]
    public async Task A_hybrid_whose_halves_disagree_is_caught_in_a_batch()
    {
        using var temp = new TempFolder();
        StorageSample a = await StorageSamples.SingleFileAsync(temp, TorrentVersion.Hybrid, 16 * PieceLength, PieceLength, seed: 1);
        using var other = new TempFolder();
        StorageSample b = await StorageSamples.SingleFileAsync(other, TorrentVersion.Hybrid, 16 * PieceLength, PieceLength, seed: 2);
        Torrent lie = a.Torrent with { PieceHashesV1 = b.Torrent.PieceHashesV1 };
        var storage = MemoryStorage.WithContent(a.Torrent, a.Content);
        var batch = Enumerable.Range(0, 16).Select(piece =>
        {
            byte[] data = new byte[PieceLength];
            storage.Read(lie.PieceOffset(piece), data);
            return (piece, (IReadOnlyList<ReadOnlyMemory<byte>>)StorageSamples.Chunks(data, StorageSamples.Block));
        }).ToList();

        var verdicts = new PieceVerdict[16];
        new PieceBatchVerifier().Judge(lie, batch, verdicts);
        Assert.All(verdicts, verdict => Assert.Equal(PieceVerdict.HalvesDisagree, verdict));
    }

    [Fact]
    public async Task Only_whole_pieces_with_a_sha1_and_the_same_block_layout_fit_a_batch()
    {
        using var temp = new TempFolder();
        StorageSample v1 = await StorageSamples.SingleFileAsync(temp, TorrentVersion.V1, (2 * PieceLength) + 10_000, PieceLength);
        using var other = new TempFolder();
        StorageSample v2 = await StorageSamples.SingleFileAsync(other, TorrentVersion.V2, 2 * PieceLength, PieceLength);
        List<ReadOnlyMemory<byte>> blocks = StorageSamples.Chunks(new byte[PieceLength], StorageSamples.Block);

        Assert.True(PieceBatchVerifier.Fits(v1.Torrent, 0, blocks, blocks));
        Assert.False(PieceBatchVerifier.Fits(v1.Torrent, 2, StorageSamples.Chunks(new byte[10_000], StorageSamples.Block), blocks));
        Assert.False(PieceBatchVerifier.Fits(v1.Torrent, 1, StorageSamples.Chunks(new byte[PieceLength], 8 * 1024), blocks));
        Assert.False(PieceBatchVerifier.Fits(v1.Torrent, 1, StorageSamples.Chunks(new byte[PieceLength], 1000), StorageSamples.Chunks(new byte[PieceLength], 1000)));
        Assert.False(PieceBatchVerifier.Fits(v2.Torrent, 0, blocks, blocks));
    }
}
