using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>The content the swarm tests move: one odd-sized file and a folder of files, made once per run.</summary>
public sealed class SwarmSamples : IDisposable
{
    public const int PieceLength = 64 * 1024;

    public SwarmSamples()
    {
        Root = Directory.CreateTempSubdirectory("shoal-swarm-samples-").FullName;
        Write("single.bin", (6 * 1024 * 1024) + 12_345, 1);
        Write("multi/a.bin", (1024 * 1024) + 7, 2);
        Write("multi/b/c.bin", 300_001, 3);
        Write("multi/b/d/e.txt", 12_345, 4);
        Write("multi/empty.dat", 0, 5);
        Write("multi/exact.bin", 2 * PieceLength, 6);
        Write("multi/g", 1, 7);
        Write("multi/données/日本語.txt", 40_000, 8);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Write(string relative, int length, int seed)
    {
        string full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(full, bytes);
    }
}

/// <summary>Transfers run alone: no other test competes for the two cores while they are timed or rate-limited.</summary>
[CollectionDefinition(nameof(SwarmCollection), DisableParallelization = true)]
public sealed class SwarmCollection;

/// <summary>
/// Shoal moving data to and from real clients over 127.0.0.1: libtorrent seeds and `shoal get` downloads,
/// `shoal share` seeds and libtorrent or aria2 downloads; every file's SHA-256 is checked. And a `shoal get`
/// killed half way resumes without fetching again what it already had.
/// </summary>
[Collection(nameof(SwarmCollection))]
public sealed partial class SwarmInteropTests(SwarmSamples samples) : IClassFixture<SwarmSamples>, IDisposable
{
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-swarm-").FullName;

    /// <summary>
    /// Content name and torrent version: a single file, several files, a hybrid torrent (with BEP 47 pad files)
    /// and a v2-only one (pieces verified against the BEP 52 piece layers).
    /// </summary>
    public static TheoryData<string, string> Contents => new()
    {
        { "single.bin", "v1" },
        { "multi", "v1" },
        { "multi", "hybrid" },
        { "multi", "v2" },
    };

    /// <summary>
    /// aria2 1.36 computes a wrong v1 info-hash for hybrid torrents (the empty-string keys of the v2 file tree,
    /// aria2/aria2#1903, fixed after 1.36) and refuses v2-only ones, so it only gets v1 torrents.
    /// </summary>
    public static TheoryData<string, string> Aria2Contents => new()
    {
        { "single.bin", "v1" },
        { "multi", "v1" },
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(Contents))]
    public async Task Shoal_gets_from_a_libtorrent_seed(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), "--peer", seed.Endpoint], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
    }

    [Theory]
    [MemberData(nameof(Contents))]
    public async Task Libtorrent_gets_from_shoal_share(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(name), torrent);
        Assert.StartsWith("magnet:?xt=urn:", share.Magnet, StringComparison.Ordinal);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), torrent, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal(0, finished.GetProperty("hash_failures").GetInt32());
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
        Assert.False(share.HasExited, "shoal share must keep seeding after a peer finishes");
        await share.StopAsync();
    }

    [Theory]
    [MemberData(nameof(Aria2Contents))]
    public async Task Aria2_gets_from_shoal_share(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        string output = NewFolder("got");
        int ariaPort = Tools.FreeTcpPort();

        // aria2 cannot be told to dial a peer: it listens, and shoal share dials it.
        await using RunningProcess aria = Aria2.Start(torrent, output, ariaPort);
        await Transfers.WaitUntilListeningAsync(ariaPort, aria, TimeSpan.FromSeconds(30));

        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(name), torrent, dial: [$"127.0.0.1:{ariaPort}"]);
        int code = await aria.WaitForExitAsync(TransferTimeout);

        Assert.True(code == 0, $"aria2c exited with {code}: {aria.Tail()}; shoal share: {share.Tail()}");
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
        await share.StopAsync();
    }

    [Fact]
    public async Task Shoal_get_killed_half_way_resumes_without_fetching_again()
    {
        const long Size = 200_000_000;
        const int ResumePieceLength = 1024 * 1024;
        const long UploadLimit = 40_000_000;   // 5 s for the whole file: time to kill it half way
        string content = Path.Combine(NewFolder("source"), "resume.bin");
        WriteRandomFile(content, Size, seed: 42);
        string torrent = await MakeTorrentAsync(content, "v1", ResumePieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, Path.GetDirectoryName(content)!, UploadLimit);

        string output = NewFolder("got");
        string[] get = ["get", torrent, "-o", output, "--port", Port(), "--peer", seed.Endpoint];

        // First run: SIGKILL once the seeder has sent about half, the way a crash would end it.
        long uploadedAtKill;
        await using (RunningProcess first = RunningProcess.Start(Tools.Shoal, get))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (seed.Uploaded < Size / 2)
            {
                Assert.False(first.HasExited, $"shoal get ended before half way: {first.Tail()}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"not half way after 60 s: {seed.Uploaded} bytes sent; {first.Tail()}");
                await Task.Delay(50);
            }

            await first.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));   // a fresh stats line from the seeder
            uploadedAtKill = seed.Uploaded;
        }

        Assert.True(uploadedAtKill < Size * 9 / 10, $"the first run got too far to test resuming: {uploadedAtKill} of {Size} bytes sent");

        // Second run: the same command finishes the download.
        ProcessResult second = await ProcessRunner.RunAsync(Tools.Shoal, get, timeout: TransferTimeout);
        Assert.True(second.ExitCode == 0, $"shoal get (resumed) exited with {second.ExitCode}: {second.Error}");
        Transfers.AssertSameContent(content, Path.Combine(output, "resume.bin"));

        // It fetched again at most two pieces (one being written, one in flight when killed) and what was
        // lost in between at the kill: sent and counted by libtorrent but sitting in the loopback socket
        // buffers, or received by shoal and queued to be checked and written. That is a few MiB when the
        // machine is busy (6.8 MB seen with the suite and three builds running). Fetching the first half
        // again would be 100 MB.
        const long SocketSlack = 8 * 1024 * 1024;
        long uploaded = await seed.StopAsync();
        Assert.True(
            uploaded <= Size + (2 * ResumePieceLength) + SocketSlack,
            $"libtorrent sent {uploaded} bytes in all for a {Size}-byte file ({uploadedAtKill} before the kill): " +
            $"the resumed run fetched {uploaded - Size} bytes more than the file, more than 2 pieces of {ResumePieceLength} and {SocketSlack} lost in transit");
    }

    /// <summary>Transmission 3.00 reads v1 torrents only, and moves about 23 MB/s here: the 6 MB file, generous timeouts.</summary>
    [Fact]
    public async Task Shoal_gets_from_transmission()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("single.bin"), "v1", SwarmSamples.PieceLength);
        int port = Tools.FreeTcpPort();
        await using RunningProcess transmission = StartTransmission(torrent, samples.Root, port);
        await Transfers.WaitUntilListeningAsync(port, transmission, TimeSpan.FromSeconds(60));

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", torrent, "-o", output, "--port", Port(), "--peer", $"127.0.0.1:{port}"], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}; transmission: {transmission.Tail()}");
        Transfers.AssertSameContent(samples.PathOf("single.bin"), Path.Combine(output, "single.bin"));
    }

    [Fact]
    public async Task Transmission_gets_from_shoal_share()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("single.bin"), "v1", SwarmSamples.PieceLength);
        string output = NewFolder("got");
        int port = Tools.FreeTcpPort();
        await using RunningProcess transmission = StartTransmission(torrent, output, port);
        await Transfers.WaitUntilListeningAsync(port, transmission, TimeSpan.FromSeconds(60));
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf("single.bin"), torrent, dial: [$"127.0.0.1:{port}"]);

        // transmission-cli keeps running when done: wait for its copy to match.
        string copy = Path.Combine(output, "single.bin");
        string expected = Transfers.Sha256(samples.PathOf("single.bin"));
        using var deadline = new CancellationTokenSource(TransferTimeout);
        while (!(File.Exists(copy) && new FileInfo(copy).Length == new FileInfo(samples.PathOf("single.bin")).Length && Transfers.Sha256(copy) == expected))
        {
            Assert.False(deadline.IsCancellationRequested, $"transmission did not finish: {transmission.Tail()}; shoal share: {share.Tail()}");
            await Task.Delay(500);
        }

        await share.StopAsync();
    }

    private RunningProcess StartTransmission(string torrent, string folder, int port)
    {
        string config = NewFolder("transmission");
        File.WriteAllText(Path.Combine(config, "settings.json"), $$"""
            {
              "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
              "port-forwarding-enabled": false, "rpc-enabled": false, "encryption": 0,
              "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1", "peer-port": {{port}}
            }
            """);
        return RunningProcess.Start("transmission-cli", ["-g", config, "-w", folder, "-p", port.ToString(CultureInfo.InvariantCulture), "-D", "-U", "-M", "-et", torrent]);
    }

    private static string Port() => Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);

    private static void WriteRandomFile(string path, long length, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[1024 * 1024];
        using FileStream stream = File.Create(path);
        for (long left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    private async Task<string> MakeTorrentAsync(string content, string version, int pieceLength)
    {
        string torrent = Path.Combine(_folder, $"{Path.GetFileName(content)}.{version}.torrent");
        JsonElement made = await Tools.PythonJsonAsync("lt_create.py", content, pieceLength.ToString(CultureInfo.InvariantCulture), version, torrent);
        Assert.False(made.TryGetProperty("error", out JsonElement error), $"lt_create.py: {error}");
        return torrent;
    }

    private string NewFolder(string prefix) =>
        Directory.CreateDirectory(Path.Combine(_folder, $"{prefix}-{Guid.NewGuid():N}")).FullName;
}
