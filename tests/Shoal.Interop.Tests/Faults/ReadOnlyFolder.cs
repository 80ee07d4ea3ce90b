namespace Shoal.Interop.Tests.Faults;

/// <summary>
/// A folder nothing can be written in, for anyone: a read-only tmpfs when the tests run as root (whom file
/// modes do not stop), mode 0555 otherwise. Writable again on dispose.
/// </summary>
public sealed class ReadOnlyFolder : IAsyncDisposable
{
    private readonly TmpfsMount? _mount;

    private ReadOnlyFolder(string path, TmpfsMount? mount)
    {
        Path = path;
        _mount = mount;
    }

    public string Path { get; }

    /// <summary>Why no read-only folder can be made here; null when one can.</summary>
    public static string? Unavailable => Environment.IsPrivilegedProcess ? TmpfsMount.Unavailable : null;

    public static async Task<ReadOnlyFolder> MakeAsync(string path)
    {
        if (Environment.IsPrivilegedProcess)
        {
            return new ReadOnlyFolder(path, await TmpfsMount.MountAsync(path, 1024 * 1024, readOnly: true));
        }

        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return new ReadOnlyFolder(path, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_mount is not null)
        {
            await _mount.DisposeAsync();
            return;
        }

        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
