using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Starts the disk writing a range just written (Linux <c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>),
/// without waiting for it. A machine with gigabytes of memory otherwise keeps a whole download dirty in the page
/// cache until the final flush, which then writes all of it while the user waits; started early, the writing
/// overlaps the transfer and the flush that makes the download durable is short. Only a hint: durability still
/// comes from <see cref="IPieceStorage.Flush"/> (fsync), never from this.
/// </summary>
internal static class WriteBack
{
    private const uint SyncFileRangeWrite = 2;
    private static bool s_unsupported = !OperatingSystem.IsLinux();

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        if (s_unsupported || length <= 0)
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

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern int sync_file_range(SafeFileHandle descriptor, long offset, long length, uint flags);
    }
}
