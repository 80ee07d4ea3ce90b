using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Writes past the page cache (Linux <c>O_DIRECT</c>): the disk takes the bytes from our memory, where a buffered write
/// first copies them into fresh page-cache pages (on the 1 GiB loopback download that copy was a quarter of the
/// leecher's CPU, the SHA-1 of every piece less), and leaves gigabytes of dirty pages for write-back to catch up with.
/// It needs the memory, the file offset and the length aligned to the device's blocks, so blocks are gathered into an
/// aligned buffer first (a copy within the CPU's caches); those buffers are kept, as many as writes ever ran at once. File systems without it (tmpfs) and
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

    private static readonly Stack<Memory<byte>> Spare = new();
    private static readonly Lock SpareGate = new();

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

    /// <summary>Writes the slices, one after another, at <paramref name="position"/> (both aligned) through an aligned buffer.</summary>
    public static void Write(SafeFileHandle handle, IReadOnlyList<ReadOnlyMemory<byte>> slices, long position)
    {
        Memory<byte> staging = RentStaging();
        try
        {
            Write(handle, slices, position, staging);
        }
        finally
        {
            lock (SpareGate)
            {
                Spare.Push(staging);
            }
        }
    }

    private static void Write(SafeFileHandle handle, IReadOnlyList<ReadOnlyMemory<byte>> slices, long position, Memory<byte> staging)
    {
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

    // On the pinned heap, so its address (and alignment) never changes.
    private static Memory<byte> RentStaging()
    {
        lock (SpareGate)
        {
            if (Spare.TryPop(out Memory<byte> spare))
            {
                return spare;
            }
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>(StagingSize + Alignment, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0).ToInt64();
        int skip = (int)((Alignment - (address % Alignment)) % Alignment);
        return buffer.AsMemory(skip, StagingSize);
    }

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    }
}
