using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Writes past the page cache (Linux <c>O_DIRECT</c>): the disk takes the bytes from our memory, where a buffered write
/// first copies them into fresh page-cache pages (on the 1 GiB loopback download that copy was a quarter of the
/// leecher's CPU, the SHA-1 of every piece less), and leaves gigabytes of dirty pages for write-back to catch up with.
/// It needs the memory, the file offset and the length aligned to the device's blocks, so blocks are gathered into an
/// aligned buffer of each writing thread first (a copy within the CPU's caches). File systems without it (tmpfs) and
/// runs that are not aligned take the buffered path. Durability still comes from <see cref="IPieceStorage.Flush"/>: a
/// direct write may sit in the drive's cache, and a sparse file's new blocks are metadata only fsync commits.
/// </summary>
internal static class DirectWrites
{
    /// <summary>What offsets and lengths must be multiples of: the page size covers every device's logical block.</summary>
    public const int Alignment = 4096;

    private const int StagingSize = 512 * 1024;
    private const int ReadWrite = 2;
    private const int Direct = 0x4000;
    private const int CloseOnExec = 0x80000;

    [ThreadStatic]
    private static Memory<byte> t_staging;

    /// <summary>A second handle on a file this storage has opened, for direct writes; null when the file system has none.</summary>
    public static SafeFileHandle? Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        int descriptor = NativeMethods.open(path, ReadWrite | Direct | CloseOnExec);
        return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    public static bool IsAligned(long position, long length) => position % Alignment == 0 && length % Alignment == 0;

    /// <summary>Writes the slices, one after another, at <paramref name="position"/> (both aligned) through the thread's staging buffer.</summary>
    public static void Write(SafeFileHandle handle, IReadOnlyList<ReadOnlyMemory<byte>> slices, long position)
    {
        Memory<byte> staging = Staging();
        int filled = 0;
        for (int i = 0; i < slices.Count; i++)
        {
            ReadOnlySpan<byte> slice = slices[i].Span;
            while (slice.Length > 0)
            {
                int take = Math.Min(slice.Length, staging.Length - filled);
                slice[..take].CopyTo(staging.Span[filled..]);
                slice = slice[take..];
                filled += take;
                if (filled == staging.Length)
                {
                    RandomAccess.Write(handle, staging.Span, position);
                    position += filled;
                    filled = 0;
                }
            }
        }

        if (filled > 0)
        {
            RandomAccess.Write(handle, staging.Span[..filled], position);
        }
    }

    // On the pinned heap, so its address (and alignment) never changes; one per writing thread, kept for the next piece.
    private static Memory<byte> Staging()
    {
        if (t_staging.IsEmpty)
        {
            byte[] buffer = GC.AllocateUninitializedArray<byte>(StagingSize + Alignment, pinned: true);
            long address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0).ToInt64();
            int skip = (int)((Alignment - (address % Alignment)) % Alignment);
            t_staging = buffer.AsMemory(skip, StagingSize);
        }

        return t_staging;
    }

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    }
}
