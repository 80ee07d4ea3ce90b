using Shoal.Metainfo;
using Shoal.Metainfo.Creation;

namespace Shoal.Tests.Metainfo.Hashing;

/// <summary>Pieces hashed sixteen at a time give the same hashes as pieces hashed one by one, whatever the layout.</summary>
public class LanePieceHashingTests
{
    private const int Block = 16 * 1024;

    public static TheoryData<TorrentVersion, long> Versions => new()
    {
        { TorrentVersion.V1, 3 * Block }, // not a power of two: chunks of 16 KiB
        { TorrentVersion.V1, 16 * Block },
        { TorrentVersion.V2, 2 * Block },
        { TorrentVersion.Hybrid, Block },
        { TorrentVersion.Hybrid, 4 * Block },
    };

    [SixteenLanesTheory]
    [MemberData(nameof(Versions))]
    public void One_large_file_hashes_the_same_in_lanes(TorrentVersion version, long pieceLength)
    {
        using var folder = new TempFolder();
        string file = folder.File("big.bin", TempFolder.RandomBytes((int)(41 * pieceLength) + 1000, 7));
        AssertSameHashes(ContentScanner.Scan(file), version, pieceLength);
    }

    [SixteenLanesTheory]
    [MemberData(nameof(Versions))]
    public void Files_with_padding_and_boundaries_hash_the_same_in_lanes(TorrentVersion version, long pieceLength)
    {
        using var folder = new TempFolder();
        folder.File("d/a.bin", TempFolder.RandomBytes((int)(18 * pieceLength) + 5, 8));
        folder.File("d/b.bin", TempFolder.RandomBytes(300, 9));
        folder.File("d/c.bin", TempFolder.RandomBytes((int)(20 * pieceLength), 10));
        folder.File("d/e.bin", TempFolder.RandomBytes((int)(7 * pieceLength) - 1, 11));
        AssertSameHashes(ContentScanner.Scan(Path.Combine(folder.Path, "d")), version, pieceLength);
    }

    private static void AssertSameHashes(ContentSource source, TorrentVersion version, long pieceLength)
    {
        var layout = PieceLayout.Build(source.Files, pieceLength, alignFiles: version.HasV2() && source.IsFolder);
        long lanesBytes = 0;
        PieceHashes lanes = PieceHasher.Hash(layout, version, threads: 2, useLanes: true, bytes => Interlocked.Add(ref lanesBytes, bytes), CancellationToken.None);
        PieceHashes oneByOne = PieceHasher.Hash(layout, version, threads: 2, useLanes: false, null, CancellationToken.None);

        Assert.Equal(oneByOne.V1, lanes.V1);
        Assert.Equal(oneByOne.V2PieceLayers, lanes.V2PieceLayers);
        Assert.Equal(source.TotalSize, lanesBytes);
    }
}
