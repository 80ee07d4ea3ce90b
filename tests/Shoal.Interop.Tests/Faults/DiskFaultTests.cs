using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Faults;

/// <summary>`shoal get` into a disk that fills up, and into a folder it may not write: one clear error line, a non-zero exit, nothing lost or half-made.</summary>
[Collection(nameof(SwarmCollection))]
public sealed class DiskFaultTests(ITestOutputHelper output) : IDisposable
{
    private const long FileSize = 24L << 20;
    private const int PieceLength = 256 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-disk-faults-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [TmpfsFact]
    public async Task A_disk_that_fills_up_stops_the_download_with_one_line_and_the_same_command_resumes_once_space_is_freed()
    {
        var (content, torrent) = await FaultContent.CreateAsync(_folder, "data.bin", FileSize, PieceLength, "--v1");
        await using ShoalShare seeder = await ShoalShare.StartAsync(content, torrent, extra: ["--listen", "127.0.0.1", "--no-dht", "--no-lsd"]);
        await using CountingRelay relay = CountingRelay.To(seeder.Endpoint);
        await using TmpfsMount disk = await TmpfsMount.MountAsync(Path.Combine(_folder, "disk"), 32L << 20);
        string filler = ContentSamples.RandomFile(Path.Combine(disk.Path, "filler"), 20L << 20, seed: 3);
        string target = Path.Combine(disk.Path, "downloads");
        var environment = new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = Path.Combine(_folder, "data") };
        string[] get = ["get", torrent, "-o", target, "--peer", relay.Endpoint, "--listen", "127.0.0.1", "--no-dht", "--no-lsd"];

        // 12 MiB free for 24 MiB.
        ProcessResult full = await ProcessRunner.RunAsync(Tools.Shoal, get, timeout: TimeSpan.FromMinutes(2), environment: environment);
        Assert.True(full.ExitCode == 1, $"exit {full.ExitCode}: {full.Error}");
        Assert.Equal([$"shoal: cannot write '{Path.Combine(target, "data.bin")}': No space left on device"], Messages(full));
        Assert.Empty(full.Output);
        long beforeFreeing = relay.Delivered;

        File.Delete(filler);
        ProcessResult resumed = await ProcessRunner.RunAsync(Tools.Shoal, get, timeout: TimeSpan.FromMinutes(2), environment: environment);
        Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}: {resumed.Error}");
        Transfers.AssertSameContent(content, Path.Combine(target, "data.bin"));

        // What was written before the disk filled up is kept: the second run fetches only the rest.
        long afterFreeing = relay.Delivered - beforeFreeing;
        output.WriteLine($"a {FileSize >> 20} MiB download onto 12 MiB of free space: {beforeFreeing:N0} bytes fetched before the error, {afterFreeing:N0} after space was freed");
        Assert.True(afterFreeing < FileSize * 3 / 4, $"the second run fetched {afterFreeing:N0} bytes of {FileSize:N0}");
    }

    [ReadOnlyFolderFact]
    public async Task A_read_only_destination_is_one_error_line_and_nothing_is_made()
    {
        var (content, torrent) = await FaultContent.CreateAsync(_folder, "data.bin", 1L << 20, PieceLength, "--v1");
        await using ShoalShare seeder = await ShoalShare.StartAsync(content, torrent, extra: ["--listen", "127.0.0.1", "--no-dht", "--no-lsd"]);
        await using ReadOnlyFolder folder = await ReadOnlyFolder.MakeAsync(Path.Combine(_folder, "read-only"));
        string data = Path.Combine(_folder, "data");

        // The download's own file, then a folder on the way to it.
        foreach ((string target, string refused) in new[]
        {
            (folder.Path, Path.Combine(folder.Path, "data.bin")),
            (Path.Combine(folder.Path, "new", "sub"), Path.Combine(folder.Path, "new")),
        })
        {
            ProcessResult result = await ProcessRunner.RunAsync(
                Tools.Shoal,
                ["get", torrent, "-o", target, "--peer", seeder.Endpoint, "--listen", "127.0.0.1", "--no-dht", "--no-lsd"],
                timeout: TimeSpan.FromMinutes(2),
                environment: new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = data });

            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Error}");
            string line = Assert.Single(Messages(result));
            Assert.StartsWith("shoal: cannot create '", line, StringComparison.Ordinal);
            Assert.Contains(refused, line, StringComparison.Ordinal);
            Assert.Matches("Read-only file system|denied", line);
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
            Assert.False(Directory.Exists(data) && Directory.EnumerateFiles(data, "*.resume", SearchOption.AllDirectories).Any(), "resume data of a download that never started");
        }
    }

    /// <summary>What a command said on standard error, its progress lines (`data.bin · 1 peer(s): 50%`) left out.</summary>
    private static string[] Messages(ProcessResult result) =>
        [.. result.ErrorLines.Where(l => !l.StartsWith("data.bin · ", StringComparison.Ordinal))];
}
