using System.Diagnostics;

namespace Shoal.Interop.Tests.Faults;

/// <summary>A small tmpfs mounted for one test (a disk that fills up, a read-only folder), unmounted on dispose.</summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    private static readonly Lazy<string?> WhyUnavailable = new(ProbeMount);

    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here (not root, or no CAP_SYS_ADMIN in a container); null when one can.</summary>
    public static string? Unavailable => WhyUnavailable.Value;

    public static async Task<TmpfsMount> MountAsync(string path, long size, bool readOnly = false)
    {
        Directory.CreateDirectory(path);
        string options = readOnly ? $"size={size},ro" : $"size={size}";
        ProcessResult mounted = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], timeout: TimeSpan.FromSeconds(30));
        Assert.True(mounted.ExitCode == 0, $"mount -t tmpfs on {path}: {mounted.Error}");
        return new TmpfsMount(path);
    }

    public async ValueTask DisposeAsync()
    {
        // Lazily if a process killed a moment ago still holds a file open on it.
        ProcessResult unmounted = await ProcessRunner.RunAsync("umount", [Path], timeout: TimeSpan.FromSeconds(30));
        if (unmounted.ExitCode != 0)
        {
            await ProcessRunner.RunAsync("umount", ["-l", Path], timeout: TimeSpan.FromSeconds(30));
        }
    }

    private static string? ProbeMount()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "mounting a tmpfs needs root";
        }

        string probe = Directory.CreateTempSubdirectory("shoal-tmpfs-probe-").FullName;
        try
        {
            using Process mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]) { RedirectStandardError = true })!;
            string error = mount.StandardError.ReadToEnd();
            mount.WaitForExit();
            if (mount.ExitCode != 0)
            {
                return $"mount is not permitted here: {error.Trim()}";
            }

            Process.Start("umount", [probe]).WaitForExit();
            return null;
        }
        finally
        {
            Directory.Delete(probe);
        }
    }
}
