using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Tests.Storage;

namespace Shoal.Tests.Metainfo;

public sealed class FilePrioritiesTests
{
    [Fact]
    public async Task A_piece_is_wanted_when_any_file_it_holds_bytes_of_is_and_takes_the_highest_priority()
    {
        using var folder = new TempFolder();
        Torrent torrent = (await StorageSamples.FolderAsync(folder, TorrentVersion.V1)).Torrent;
        FilePriority[] files = new FilePriority[torrent.Files.Count];
        int a = torrent.Files.ToList().FindIndex(f => f.Path[^1] == "a.bin");
        int big = torrent.Files.ToList().FindIndex(f => f.Path[^1] == "big.bin");
        files[a] = FilePriority.Normal;
        files[big] = FilePriority.High;

        FilePriority[] pieces = FilePriorities.OfPieces(torrent, files);

        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            long start = torrent.PieceOffset(piece);
            long end = start + torrent.PieceSize(piece);
            bool holdsA = start < torrent.Files[a].EndOffset && end > torrent.Files[a].Offset;
            bool holdsBig = start < torrent.Files[big].EndOffset && end > torrent.Files[big].Offset;
            FilePriority expected = holdsBig ? FilePriority.High : holdsA ? FilePriority.Normal : FilePriority.Skip;
            Assert.Equal(expected, pieces[piece]);
        }

        var have = new PieceSet(torrent.PieceCount);
        have.Set(Array.IndexOf(pieces, FilePriority.High));
        (long wanted, long verified) = FilePriorities.WantedBytes(torrent, pieces, have);
        Assert.Equal(pieces.Select((p, i) => p == FilePriority.Skip ? 0 : torrent.PieceSize(i)).Sum(), wanted);
        Assert.Equal(torrent.PieceSize(Array.IndexOf(pieces, FilePriority.High)), verified);
    }

    [Fact]
    public async Task Select_only_keeps_the_listed_files_and_ignores_indices_past_the_end()
    {
        using var folder = new TempFolder();
        Torrent torrent = (await StorageSamples.FolderAsync(folder, TorrentVersion.V1)).Torrent;

        FilePriority[] chosen = FilePriorities.SelectOnly(torrent, [new FileIndexRange(1, 2), new FileIndexRange(4, 100)]);

        Assert.Equal(torrent.Files.Count, chosen.Length);
        for (int i = 0; i < chosen.Length; i++)
        {
            Assert.Equal(i is 1 or 2 or >= 4 ? FilePriority.Normal : FilePriority.Skip, chosen[i]);
        }
    }

    [Fact]
    public async Task Priorities_must_be_one_per_file_and_defined()
    {
        using var folder = new TempFolder();
        Torrent torrent = (await StorageSamples.FolderAsync(folder, TorrentVersion.V1)).Torrent;

        Assert.Throws<ArgumentException>(() => FilePriorities.OfPieces(torrent, [FilePriority.Normal]));
        FilePriority[] bad = FilePriorities.All(torrent);
        bad[0] = (FilePriority)7;
        Assert.Throws<ArgumentException>(() => FilePriorities.OfPieces(torrent, bad));
    }
}
