using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class MemoryStorageTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Content_is_placed_file_by_file_at_each_offset(TorrentVersion version)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        var storage = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);

        Assert.Equal(torrent.AddressSpaceLength(), storage.Contents.Length);
        var expected = new byte[torrent.AddressSpaceLength()];
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            FileEntry file = torrent.Files[i];
            byte[] bytes = file.IsPadding ? new byte[file.Length] : File.ReadAllBytes(paths[i]);
            Assert.Equal(bytes, storage.FileContents(i).ToArray());
            bytes.CopyTo(expected, file.Offset);
        }

        Assert.Equal(expected, storage.Contents.ToArray());
    }

    [Fact]
    public async Task Writes_to_padding_are_dropped_and_ranges_are_checked()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        Torrent torrent = sample.Torrent;
        var storage = new MemoryStorage(torrent);
        int padding = torrent.Files.ToList().FindIndex(f => f.IsPadding);

        storage.Write(torrent.Files[padding].Offset - 2, [new byte[] { 1, 2 }, new byte[] { 3, 4 }]);

        Assert.Equal([0, 0, 1, 2, 0, 0], storage.Contents.Slice((int)torrent.Files[padding].Offset - 4, 6).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.Read(torrent.AddressSpaceLength() - 1, new byte[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.Write(-1, [new byte[1]]));
        Assert.Throws<ArgumentException>(() => MemoryStorage.WithContent(torrent, new byte[10]));
    }
}
