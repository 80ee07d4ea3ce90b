using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Configuration;

namespace Shoal.Tracker.Tests;

/// <summary>A real tracker on 127.0.0.1 (a free port for HTTP and UDP), over SQLite in a temp folder.</summary>
internal sealed class RunningTracker : IAsyncDisposable
{
    private readonly TempFolder? _ownedFolder;

    private RunningTracker(TrackerHost host, TempFolder? ownedFolder)
    {
        Host = host;
        _ownedFolder = ownedFolder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}/") };
    }

    public TrackerHost Host { get; }

    public HttpClient Http { get; }

    public int Port => Host.Port;

    public Uri HttpAnnounce => Host.HttpAnnounceUrl();

    public Uri UdpAnnounce => Host.UdpAnnounceUrl();

    /// <summary>Starts a tracker; <paramref name="data"/> keeps its database across restarts.</summary>
    public static async Task<RunningTracker> StartAsync(TempFolder? data = null, Func<TrackerOptions, TrackerOptions>? configure = null, TimeProvider? time = null, IPAddress? listen = null, ILoggerFactory? loggers = null)
    {
        TempFolder? owned = data is null ? new TempFolder() : null;
        var options = new TrackerOptions { Port = 0, ListenAddress = listen ?? IPAddress.Loopback, DataDirectory = (data ?? owned!).Path };
        options = configure?.Invoke(options) ?? options;
        TrackerHost host = await TrackerHost.StartAsync(options, loggers ?? NullLoggerFactory.Instance, time);
        return new RunningTracker(host, owned);
    }

    public HttpTrackerClient HttpClient() => new(HttpAnnounce, Http);

    public UdpTrackerClient UdpClient() => new(UdpAnnounce, TimeProvider.System, new UdpTrackerOptions { BaseTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 2 });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _ownedFolder?.Dispose();
    }

    public static AnnounceRequest Request(InfoHash infoHash, int port, long left = 1000, AnnounceEvent announceEvent = AnnounceEvent.Started, bool compact = true) =>
        new(infoHash, PeerId(port), port, 0, 0, left, announceEvent, compact);

    public static byte[] PeerId(int n) => System.Text.Encoding.ASCII.GetBytes($"-TT0001-{n:D12}");

    public static InfoHash RandomHash() => new(Guid.NewGuid().ToByteArray().Concat(BitConverter.GetBytes(Environment.TickCount)).ToArray());

    /// <summary>A real torrent (v1, v2 or hybrid; private per BEP 27 when asked) of a small file named <paramref name="name"/>.</summary>
    public static async Task<CreatedTorrent> TorrentAsync(TempFolder folder, string name, TorrentVersion version = TorrentVersion.Hybrid, int size = 40_000, bool isPrivate = false)
    {
        string path = folder.File(Path.Combine("content", Guid.NewGuid().ToString("N"), name), TempFolder.RandomBytes(size, name.GetHashCode(StringComparison.Ordinal)));
        return await TorrentCreator.CreateAsync(path, new TorrentCreationOptions { Version = version, IsPrivate = isPrivate });
    }
}
