using System.Runtime.InteropServices;

namespace Shoal.Storage;

/// <summary>
/// Flushes a folder's entries to disk, so that a rename into it survives a power cut, not only the
/// renamed file's bytes. .NET opens no handle on a folder, so this asks libc directly.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Returns whether the folder was flushed; a failure is not an error (best effort, see below).</summary>
    public static bool Flush(string folder)
    {
        // Windows journals a rename with the file system's metadata; it has no fsync of a folder.
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        // Best effort: the write itself succeeded, and failing it now would lose what is on disk. Some
        // file systems refuse fsync on a folder (EINVAL); the rename is then as durable as they make it.
        int descriptor = NativeMethods.open(folder, ReadOnly);
        if (descriptor < 0)
        {
            return false;
        }

        bool flushed = NativeMethods.fsync(descriptor) == 0;
        _ = NativeMethods.close(descriptor);
        return flushed;
    }

    private static class NativeMethods
    {
        // Classic marshalling: LibraryImport needs unsafe code, which this assembly does not allow.
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int descriptor);
    }
}
