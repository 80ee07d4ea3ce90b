using System.Globalization;
using System.Net;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>`shoal tracker --port PORT --listen 127.0.0.1 --data DIR` (any free port by default) running until the test stops it.</summary>
public sealed class ShoalTrackerProcess : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private ShoalTrackerProcess(RunningProcess process, string httpAnnounce, string udpAnnounce)
    {
        _process = process;
        HttpAnnounce = httpAnnounce;
        UdpAnnounce = udpAnnounce;
    }

    /// <summary>The `announce: http://…` line it printed.</summary>
    public string HttpAnnounce { get; }

    /// <summary>The `announce: udp://…` line it printed.</summary>
    public string UdpAnnounce { get; }

    /// <summary>The operating system's id of the process, to read its memory.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The port number of its HTTP and UDP trackers, to start it again on the same one.</summary>
    public int Port => new Uri(HttpAnnounce).Port;

    public static Task<ShoalTrackerProcess> StartAsync(string dataFolder, params string[] extra) => StartAsync(dataFolder, port: 0, extra);

    public static Task<ShoalTrackerProcess> StartAsync(string dataFolder, int port, params string[] extra) => StartAsync(dataFolder, port, new Dictionary<string, string>(), extra);

    /// <summary>Starts it with <paramref name="environment"/> added to the environment (SHOAL_* settings).</summary>
    public static Task<ShoalTrackerProcess> StartAsync(string dataFolder, int port, IReadOnlyDictionary<string, string> environment, params string[] extra) =>
        AnnouncedAsync(RunningProcess.Start(Tools.Shoal, Arguments(IPAddress.Loopback, port, dataFolder, extra), environment: environment));

    /// <summary>Starts the managed build (<see cref="Tools.ManagedShoal"/>), whose heap a test can read through EventPipe.</summary>
    public static Task<ShoalTrackerProcess> StartManagedAsync(string dataFolder, params string[] extra) =>
        AnnouncedAsync(RunningProcess.Start(Tools.ManagedShoal, Arguments(IPAddress.Loopback, port: 0, dataFolder, extra)));

    /// <summary>
    /// Starts it by <paramref name="start"/> (given `shoal`'s arguments: in a network lab's namespace, say), listening on
    /// <paramref name="listen"/>.
    /// </summary>
    public static Task<ShoalTrackerProcess> StartAsync(Func<string[], RunningProcess> start, IPAddress listen, int port, string dataFolder) =>
        AnnouncedAsync(start(Arguments(listen, port, dataFolder, [])));

    private static string[] Arguments(IPAddress listen, int port, string dataFolder, string[] extra) =>
        ["tracker", "--port", port.ToString(CultureInfo.InvariantCulture), "--listen", listen.ToString(), "--data", dataFolder, .. extra];

    /// <summary>Waits for the started tracker's two `announce:` lines.</summary>
    private static async Task<ShoalTrackerProcess> AnnouncedAsync(RunningProcess process)
    {
        try
        {
            string http = await process.WaitForOutputLineAsync(l => l.StartsWith("announce: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            string udp = await process.WaitForOutputLineAsync(l => l.StartsWith("announce: udp://", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
            return new ShoalTrackerProcess(process, http["announce: ".Length..], udp["announce: ".Length..]);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public string Tail() => _process.Tail();

    /// <summary>What it has logged so far (standard error), a line each.</summary>
    public IReadOnlyList<string> LogLines => _process.ErrorLines;

    /// <summary>The first line of its log (standard error) that matches.</summary>
    public Task<string> WaitForLogLineAsync(Func<string, bool> match, TimeSpan timeout) => _process.WaitForErrorLineAsync(match, timeout);

    /// <summary>SIGKILL: a crash, with no chance to save anything on the way out.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM; a clean stop is exit code 0.</summary>
    public async Task StopAsync()
    {
        int code = await _process.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(code == 0, $"shoal tracker exited with {code}: {_process.Tail()}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>
/// Debian's opentracker on 127.0.0.1, HTTP and UDP on one port. Debian builds it in whitelist mode:
/// only the info-hashes given are tracked (real-clients.md).
/// </summary>
public sealed class OpenTracker : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly string _folder;

    private OpenTracker(RunningProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string HttpAnnounce => $"http://127.0.0.1:{Port}/announce";

    public string UdpAnnounce => $"udp://127.0.0.1:{Port}/announce";

    /// <summary>Starts opentracker allowing the swarms of <paramref name="torrentFiles"/> (v1 and truncated v2 hashes).</summary>
    public static async Task<OpenTracker> StartAsync(params string[] torrentFiles)
    {
        string folder = Directory.CreateTempSubdirectory("shoal-opentracker-").FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        IEnumerable<string> hashes = torrentFiles
            .Select(path => TorrentParser.Parse(File.ReadAllBytes(path)).InfoHashes)
            .SelectMany(h => new[] { h.V1?.ToHex(), h.V2?.Truncated.ToHex() })
            .OfType<string>();
        string whitelist = Path.Combine(folder, "whitelist.txt");
        await File.WriteAllLinesAsync(whitelist, hashes);
        File.SetUnixFileMode(whitelist, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        int port = Tools.FreeTcpPort();
        string text = port.ToString(CultureInfo.InvariantCulture);
        RunningProcess process = RunningProcess.Start("opentracker", ["-i", "127.0.0.1", "-p", text, "-P", text, "-d", folder, "-w", "whitelist.txt"]);
        try
        {
            await Transfers.WaitUntilListeningAsync(port, process, TimeSpan.FromSeconds(20));
            return new OpenTracker(process, folder, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
