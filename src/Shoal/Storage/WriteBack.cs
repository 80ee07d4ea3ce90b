using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Starts the disk writing ranges just written (Linux <c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>),
/// without waiting for it. A machine with gigabytes of memory otherwise keeps a whole download dirty in the page
/// cache until the final flush, which then writes all of it while the user waits; started early, the writing
/// overlaps the transfer and the flush that makes the download durable is short. Only a hint: durability still
/// comes from <see cref="IPieceStorage.Flush"/> (fsync), never from this.
/// <para>
/// The call itself blocks while the disk's queue is full (another process writing to the same disk): issued by the
/// pieces' writers it held up hashing for 11 s of a 26 s download. So writers only queue ranges, and one thread of
/// its own issues them, adjacent ranges of a file merged; when it falls <see cref="Capacity"/> ranges behind, further
/// ones are dropped (the final flush writes them).
/// </para>
/// </summary>
internal sealed class WriteBack : IDisposable
{
    public const int Capacity = 1024;

    private const uint SyncFileRangeWrite = 2;

    private readonly BlockingCollection<Range> _ranges = new(Capacity);
    private readonly Action<SafeFileHandle, long, long> _start;

    /// <param name="start">Starts the write-back of a range of a file (the system call; a recorder in tests).</param>
    public WriteBack(Action<SafeFileHandle, long, long> start)
    {
        _start = start;
        new Thread(Run) { IsBackground = true, Name = "write-back" }.Start();
    }

    /// <summary>The process's one, on <c>sync_file_range</c>; null where there is none (not Linux).</summary>
    public static WriteBack? Shared { get; } = OperatingSystem.IsLinux() ? new WriteBack(SyncFileRange) : null;

    /// <summary>Queues the range for write-back; never blocks.</summary>
    public void Start(SafeFileHandle file, long offset, long length)
    {
        if (length > 0)
        {
            _ranges.TryAdd(new Range(file, offset, length));
        }
    }

    /// <summary>Issues what is queued, then ends the thread.</summary>
    public void Dispose() => _ranges.CompleteAdding();

    private void Run()
    {
        foreach (Range first in _ranges.GetConsumingEnumerable())
        {
            Range run = first;
            while (_ranges.TryTake(out Range next))
            {
                if (next.File == run.File && next.Offset == run.Offset + run.Length)
                {
                    run = run with { Length = run.Length + next.Length };
                    continue;
                }

                Issue(run);
                run = next;
            }

            Issue(run);
        }

        _ranges.Dispose();
    }

    private void Issue(Range range)
    {
        try
        {
            _start(range.File, range.Offset, range.Length);
        }
        catch (ObjectDisposedException)
        {
            // The storage closed the file since: its flush, if any, came first.
        }
    }

    private static bool s_unsupported;

    private static void SyncFileRange(SafeFileHandle file, long offset, long length)
    {
        if (s_unsupported)
        {
            return;
        }

        try
        {
            // ENOSYS or EINVAL (a file system without it): the final flush does all the work, as before.
            if (NativeMethods.sync_file_range(file, offset, length, SyncFileRangeWrite) != 0 && Marshal.GetLastPInvokeError() is 22 or 38)
            {
                s_unsupported = true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            s_unsupported = true;
        }
    }

    private readonly record struct Range(SafeFileHandle File, long Offset, long Length);

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern int sync_file_range(SafeFileHandle descriptor, long offset, long length, uint flags);
    }
}
