using System.Globalization;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>libtorrent seeding on 127.0.0.1 (scripts/lt_seed.py) until the test stops it.</summary>
public sealed class LibtorrentSeed : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private LibtorrentSeed(RunningProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts seeding <paramref name="torrent"/> with the data under <paramref name="contentParent"/>, returning once
    /// libtorrent has checked it and seeds. <paramref name="uploadLimit"/> (bytes/s) also applies to loopback peers.
    /// </summary>
    public static async Task<LibtorrentSeed> StartAsync(
        string torrent, string contentParent, long uploadLimit = 0, IEnumerable<string>? dial = null, TimeSpan? startTimeout = null, IEnumerable<string>? extra = null)
    {
        int port = Tools.FreeTcpPort();
        List<string> arguments = [Tools.Script("lt_seed.py"), torrent, contentParent, "--port", port.ToString(CultureInfo.InvariantCulture), "--stats-interval", "0.25", .. extra ?? []];
        if (uploadLimit > 0)
        {
            arguments.AddRange(["--upload-limit", uploadLimit.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (string peer in dial ?? [])
        {
            arguments.AddRange(["--connect", peer]);
        }

        RunningProcess process = RunningProcess.Start(Tools.Python, arguments);
        try
        {
            string line = await process.WaitForOutputLineAsync(l => Event(l) is "seeding" or "error", startTimeout ?? TimeSpan.FromMinutes(1));
            Assert.True(Event(line) == "seeding", $"lt_seed.py did not start (is python3-libtorrent installed? ./test.sh installs it): {line}");
            return new LibtorrentSeed(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Payload bytes uploaded so far, from the newest stats line (written every 0.25 s).</summary>
    public long Uploaded =>
        _process.ErrorLines.Where(l => Event(l) == "stats").Select(l => Json(l).GetProperty("total_payload_upload").GetInt64()).LastOrDefault();

    /// <summary>SIGTERM; returns the payload bytes it uploaded over its whole life.</summary>
    public async Task<long> StopAsync() => (await StopWithSummaryAsync()).GetProperty("total_payload_upload").GetInt64();

    /// <summary>SIGTERM; returns its stopped line: totals, and with --hash-log the BEP 52 messages it sent and received.</summary>
    public async Task<JsonElement> StopWithSummaryAsync()
    {
        int code = await _process.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(code == 0, $"lt_seed.py exited with {code}: {_process.Tail()}");
        string stopped = await _process.WaitForOutputLineAsync(l => Event(l) == "stopped", TimeSpan.FromSeconds(5));
        return Json(stopped);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    internal static JsonElement Json(string line) => JsonDocument.Parse(line).RootElement;

    internal static string? Event(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return Json(line).TryGetProperty("event", out JsonElement name) ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>`shoal share PATH --torrent FILE --port N [--peer HOST:PORT]...` running until the test stops it.</summary>
public sealed class ShoalShare : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private ShoalShare(RunningProcess process, int port, string magnet, string listening)
    {
        _process = process;
        Port = port;
        Magnet = magnet;
        Listening = listening;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The `magnet:` line it printed.</summary>
    public string Magnet { get; }

    /// <summary>HOST:PORT from its `listening on HOST:PORT` line.</summary>
    public string Listening { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> OutputLines => _process.OutputLines;

    public IReadOnlyList<string> ErrorLines => _process.ErrorLines;

    /// <summary>
    /// Starts seeding <paramref name="path"/> (with <paramref name="torrent"/>, or a torrent share makes when null),
    /// returning once it prints `listening on` (and its magnet line).
    /// </summary>
    public static async Task<ShoalShare> StartAsync(
        string path, string? torrent, IEnumerable<string>? dial = null, TimeSpan? startTimeout = null, IEnumerable<string>? extra = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        int port = Tools.FreeTcpPort();
        List<string> arguments = ["share", path, .. torrent is null ? Array.Empty<string>() : ["--torrent", torrent], "--port", port.ToString(CultureInfo.InvariantCulture), .. extra ?? []];
        foreach (string peer in dial ?? [])
        {
            arguments.AddRange(["--peer", peer]);
        }

        RunningProcess process = RunningProcess.Start(Tools.Shoal, arguments, environment: environment);
        try
        {
            TimeSpan limit = startTimeout ?? TimeSpan.FromMinutes(1);
            string listening = await process.WaitForOutputLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), limit);
            string magnet = await process.WaitForOutputLineAsync(l => l.StartsWith("magnet:", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
            return new ShoalShare(process, port, magnet, listening["listening on ".Length..].Trim());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM; a clean stop is exit code 0.</summary>
    public async Task StopAsync()
    {
        int code = await _process.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(code == 0, $"shoal share exited with {code} on SIGTERM: {_process.Tail()}");
    }

    /// <summary>SIGKILL: a crash, with no goodbye to its peers.</summary>
    public Task KillAsync() => _process.KillAsync();

    public string Tail() => _process.Tail();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>aria2c downloading a torrent into a folder and exiting once it has it; DHT, PEX and local discovery off.</summary>
public static class Aria2
{
    public static RunningProcess Start(string torrent, string output, int listenPort) => RunningProcess.Start(
        "aria2c",
        [
            "--no-conf=true", "-d", output, $"--listen-port={listenPort}", "--enable-dht=false", "--enable-dht6=false",
            "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--seed-time=0", "--summary-interval=0",
            "--console-log-level=warn", "--file-allocation=none", torrent,
        ]);
}
