using System.Collections.Concurrent;
using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

public class StorageCheckerTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Finds_exactly_the_pieces_written(TorrentVersion version)
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, version);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite);
        var written = new PieceSet(torrent.PieceCount);
        for (int piece = 0; piece < torrent.PieceCount; piece += piece % 3 == 0 ? 1 : 2)
        {
            byte[] data = new byte[torrent.PieceSize(piece)];
            source.Read(torrent.PieceOffset(piece), data);
            storage.Write(torrent.PieceOffset(piece), [data]);
            written.Set(piece);
        }

        var pool = new CountingPool();
        var reported = new ConcurrentBag<int>();
        PieceSet found = await StorageChecker.CheckAsync(torrent, storage, pool, reported.Add, CancellationToken.None);

        Assert.Equal(written.AsSpan().ToArray(), found.AsSpan().ToArray());
        Assert.InRange(written.Count, 1, torrent.PieceCount - 1);
        Assert.Equal(Enumerable.Range(0, torrent.PieceCount), reported.Order());
        Assert.Equal(0, pool.Outstanding);
        Assert.InRange(pool.Rented, 1, Environment.ProcessorCount);
    }

    [Fact]
    public async Task After_a_crash_only_the_pieces_written_since_the_record_are_hashed()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.SingleFileAsync(folder, TorrentVersion.Hybrid, 40 * StorageSamples.Block, pieceLength: StorageSamples.Block);
        Torrent torrent = sample.Torrent;
        var source = MemoryStorage.WithContent(torrent, sample.Content);
        IReadOnlyList<string> paths = FileStorage.PathsInDownloadFolder(torrent, Path.Combine(folder.Path, "download"));
        using var storage = new FileStorage(torrent, paths, StorageAccess.ReadWrite);
        storage.Allocate();
        var recorded = new PieceSet(torrent.PieceCount);
        foreach (int piece in new[] { 0, 1, 2, 7, 20 })
        {
            CopyPiece(torrent, source, storage, piece);
            recorded.Set(piece);
        }

        // Written after the record: 3 good pieces, and one torn by the crash (half of it on disk).
        int[] since = [3, 8, 39];
        foreach (int piece in since)
        {
            CopyPiece(torrent, source, storage, piece);
        }

        byte[] torn = new byte[torrent.PieceSize(30) / 2];
        source.Read(torrent.PieceOffset(30), torn);
        storage.Write(torrent.PieceOffset(30), [torn]);

        var hashed = new ConcurrentBag<int>();
        PieceSet found = await StorageChecker.CheckUnrecordedAsync(torrent, storage, new CountingPool(), recorded, hashed.Add, CancellationToken.None);

        Assert.Equal([0, 1, 2, 3, 7, 8, 20, 39], Enumerable.Range(0, torrent.PieceCount).Where(p => found[p]));

        // The 31 pieces never written are holes of the sparse file (ext4, xfs, btrfs, tmpfs): not read at all.
        Assert.Equal([3, 8, 30, 39], hashed.Order());
    }

    [Fact]
    public async Task Content_in_place_checks_complete_until_a_file_is_cut_short_or_removed()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.Hybrid);
        Torrent torrent = sample.Torrent;
        IReadOnlyList<string> paths = FileStorage.PathsForContent(torrent, sample.ContentPath);
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadOnly))
        {
            Assert.True((await StorageChecker.CheckAsync(torrent, storage, null, CancellationToken.None)).IsComplete);
        }

        int big = IndexOf(torrent, "big.bin");
        int small = IndexOf(torrent, "b/small");
        using (var stream = new FileStream(paths[big], FileMode.Open))
        {
            stream.SetLength(torrent.Files[big].Length - 1);
        }

        File.Delete(paths[small]);
        using (var storage = new FileStorage(torrent, paths, StorageAccess.ReadOnly))
        {
            PieceSet found = await StorageChecker.CheckAsync(torrent, storage, null, CancellationToken.None);
            for (int piece = 0; piece < torrent.PieceCount; piece++)
            {
                long start = torrent.PieceOffset(piece);
                long end = start + torrent.PieceSize(piece);
                bool touched = (torrent.Files[small].Offset < end && torrent.Files[small].EndOffset > start)
                    || (torrent.Files[big].EndOffset > start && torrent.Files[big].EndOffset <= end);
                Assert.Equal(!touched, found[piece]);
            }
        }
    }

    [Fact]
    public async Task Memory_storage_checks_like_files()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V2);
        var storage = MemoryStorage.WithContent(sample.Torrent, sample.Content);
        Assert.True((await StorageChecker.CheckAsync(sample.Torrent, storage, null, CancellationToken.None)).IsComplete);
        Assert.True((await StorageChecker.CheckAsync(sample.Torrent, new MemoryStorage(sample.Torrent), null, CancellationToken.None)).IsEmpty);
    }

    [Fact]
    public async Task Cancellation_stops_the_check_and_returns_the_buffers()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1, StorageSamples.Block);
        var storage = MemoryStorage.WithContent(sample.Torrent, sample.Content);
        var pool = new CountingPool();
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StorageChecker.CheckAsync(sample.Torrent, storage, pool, _ => cancellation.Cancel(), cancellation.Token));
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task A_read_failure_ends_the_check_with_that_failure()
    {
        using var folder = new TempFolder();
        StorageSample sample = await StorageSamples.FolderAsync(folder, TorrentVersion.V1, StorageSamples.Block);
        var storage = new FailingStorage(MemoryStorage.WithContent(sample.Torrent, sample.Content), sample.Torrent.PieceOffset(3));
        var pool = new CountingPool();

        var error = await Assert.ThrowsAsync<StorageException>(() =>
            StorageChecker.CheckAsync(sample.Torrent, storage, pool, null, CancellationToken.None));
        Assert.Equal("cannot read 'x': Input/output error", error.Message);
        Assert.Equal(0, pool.Outstanding);
    }

    private static void CopyPiece(Torrent torrent, MemoryStorage source, FileStorage target, int piece)
    {
        byte[] data = new byte[torrent.PieceSize(piece)];
        source.Read(torrent.PieceOffset(piece), data);
        target.Write(torrent.PieceOffset(piece), [data]);
    }

    private static int IndexOf(Torrent torrent, string displayPath) =>
        torrent.Files.Select((f, i) => (f, i)).Single(e => e.f.DisplayPath == displayPath).i;

    private sealed class FailingStorage(MemoryStorage inner, long failAt) : IPieceStorage
    {
        public void Read(long offset, Span<byte> destination)
        {
            if (offset == failAt)
            {
                throw new StorageException("cannot read 'x': Input/output error");
            }

            inner.Read(offset, destination);
        }

        public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers) => inner.Write(offset, buffers);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class CountingPool : BufferPool
    {
        private int _outstanding;
        private int _rented;

        public int Outstanding => _outstanding;

        public int Rented => _rented;

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _outstanding);
            Interlocked.Increment(ref _rented);
            return base.Rent(minimumLength);
        }

        public override void Return(byte[] buffer)
        {
            Interlocked.Decrement(ref _outstanding);
            base.Return(buffer);
        }
    }
}
