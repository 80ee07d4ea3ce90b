using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class DirectWriteFallbackTests
{
    // Direct writes wait for the device: on a disk another process keeps busy they fall behind the page cache's, so
    // a storage whose direct writes are slow writes the rest of its pieces through the page cache.
    [Fact]
    public async Task A_storage_whose_direct_writes_are_slow_writes_through_the_page_cache_after_a_few()
    {
        using var folder = new TempFolder();
        (FileStorage slow, Torrent torrent, byte[] content) = await StorageAsync(folder, "slow", new SlowDisk(FileStorage.SlowDirectWrite * 2));
        bool direct = DirectSupported(folder);
        using (slow)
        {
            for (int piece = 0; piece < torrent.PieceCount; piece++)
            {
                slow.Write(torrent.PieceOffset(piece), [content.AsMemory((int)torrent.PieceOffset(piece), torrent.PieceSize(piece))]);
                if (piece == FileStorage.SlowDirectWritesAllowed - 2)
                {
                    // One slow write short of the limit: still direct.
                    Assert.Equal(direct, slow.WritesDirect);
                }
            }

            Assert.False(slow.WritesDirect);
            AssertHolds(slow, content);
        }
    }

    [Fact]
    public async Task A_storage_whose_direct_writes_are_quick_keeps_writing_directly()
    {
        using var folder = new TempFolder();
        (FileStorage quick, Torrent torrent, byte[] content) = await StorageAsync(folder, "quick", TimeProvider.System);
        using (quick)
        {
            for (int piece = 0; piece < torrent.PieceCount; piece++)
            {
                quick.Write(torrent.PieceOffset(piece), [content.AsMemory((int)torrent.PieceOffset(piece), torrent.PieceSize(piece))]);
            }

            Assert.Equal(DirectSupported(folder), quick.WritesDirect);
            AssertHolds(quick, content);
        }
    }

    private static async Task<(FileStorage Storage, Torrent Torrent, byte[] Content)> StorageAsync(TempFolder folder, string name, TimeProvider time)
    {
        // Pieces of 16 KiB, a multiple of the direct writes' alignment: every piece may go directly.
        StorageSample sample = await StorageSamples.SingleFileAsync(folder, TorrentVersion.V1, 8 * 16384, pieceLength: 16384);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(sample.Torrent, Path.Combine(folder.Path, name));
        return (new FileStorage(sample.Torrent, paths, StorageAccess.ReadWrite) { Time = time }, sample.Torrent, sample.Content);
    }

    private static void AssertHolds(FileStorage storage, byte[] content)
    {
        byte[] read = new byte[content.Length];
        storage.Read(0, read);
        Assert.Equal(content, read);
    }

    /// <summary>Whether the folder's file system takes O_DIRECT (tmpfs does not: there every write goes through the page cache).</summary>
    private static bool DirectSupported(TempFolder folder)
    {
        string probe = Path.Combine(folder.Path, "direct-probe");
        File.WriteAllBytes(probe, []);
        using Microsoft.Win32.SafeHandles.SafeFileHandle? handle = DirectWrites.Open(probe);
        return handle is not null;
    }

    /// <summary>A clock on which each direct write takes <paramref name="perWrite"/>: every reading is that much later than the one before.</summary>
    private sealed class SlowDisk(TimeSpan perWrite) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, perWrite.Ticks);
    }
}
