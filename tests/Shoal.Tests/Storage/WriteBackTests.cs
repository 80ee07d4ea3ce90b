using Microsoft.Win32.SafeHandles;
using Shoal.Storage;

namespace Shoal.Tests.Storage;

/// <summary>
/// <see cref="WriteBack"/> on a recorder in place of <c>sync_file_range</c>: a disk that holds up the system call
/// never holds up the writers (a full queue drops ranges), and what queued meanwhile goes out as one merged range.
/// </summary>
public sealed class WriteBackTests : IDisposable
{
    private const int Piece = 512 * 1024;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_stalled_disk_never_blocks_the_writer_and_the_ranges_queued_meanwhile_go_out_merged()
    {
        using SafeFileHandle file = File.OpenHandle(Path.Combine(_folder.Path, "data"), FileMode.Create, FileAccess.ReadWrite);
        using var entered = new ManualResetEventSlim();
        using var disk = new ManualResetEventSlim();
        using var done = new CountdownEvent(2);
        var issued = new List<(long Offset, long Length)>();
        using (var writeBack = new WriteBack((_, offset, length) =>
        {
            entered.Set();
            Assert.True(disk.Wait(Limit));
            lock (issued)
            {
                issued.Add((offset, length));
            }

            done.Signal();
        }))
        {
            writeBack.Start(file, 0, Piece);
            Assert.True(entered.Wait(Limit));

            // The first range is stuck in the system call: these fill the queue, and the last hundred are dropped, all without waiting.
            for (int piece = 1; piece <= WriteBack.Capacity + 100; piece++)
            {
                writeBack.Start(file, (long)piece * Piece, Piece);
            }

            disk.Set();
            Assert.True(done.Wait(Limit));
        }

        Assert.Equal([(0L, (long)Piece), (Piece, (long)WriteBack.Capacity * Piece)], issued);
    }
}
