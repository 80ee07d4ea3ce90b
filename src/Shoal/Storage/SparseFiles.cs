using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Asks the file system where a sparse file holds data (Linux <c>lseek</c> with <c>SEEK_DATA</c>), so that
/// ranges never written can be told from written ones without reading them. .NET has no such call.
/// </summary>
internal static class SparseFiles
{
    private const int SeekData = 3;
    private const int NoDataPastOffset = 6;

    /// <summary>
    /// False only when the file system says bytes <paramref name="offset"/> to <paramref name="offset"/> +
    /// <paramref name="length"/> all lie in holes; true when any may hold data, or when it cannot tell.
    /// </summary>
    public static bool MayHoldData(SafeFileHandle file, long offset, long length)
    {
        if (length <= 0)
        {
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        // lseek moves the descriptor's offset, which no one uses: every read and write here is positional.
        long data = NativeMethods.lseek(file, offset, SeekData);
        if (data < 0)
        {
            // ENXIO: no data from the offset to the end. Anything else (no SEEK_DATA here): assume data.
            return Marshal.GetLastPInvokeError() != NoDataPastOffset;
        }

        return data < offset + length;
    }

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern long lseek(SafeFileHandle descriptor, long offset, int whence);
    }
}
