using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Tests.Net;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Http;
using Shoal.Tracker.Index;
using Shoal.Tracker.Metrics;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Storage;
using Shoal.Tracker.Swarms;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Fuzzing;

/// <summary>A tracker's request handlers over its real store, with no socket and a clock that moves when told: for fuzzing them fast.</summary>
internal sealed class InProcessTracker : IAsyncDisposable
{
    private readonly string _folder;
    private readonly OpenedTrackerStore _store;
    private readonly ServiceProvider _services;

    private InProcessTracker(string folder, TrackerOptions options, ManualTimeProvider time, OpenedTrackerStore store, GroupSwarms groups, ServiceProvider services)
    {
        _folder = folder;
        Time = time;
        _store = store;
        _services = services;
        Options = options;
        var tracker = new TrackerService(options, new AnnounceIntervals(options, store.StartedEmpty, Time), store.Swarms, new RegisteredSwarms(store.Files, Time), groups);
        var limiter = new AddressRateLimiter(0);
        var metrics = new TrackerMetrics(services.GetRequiredService<IMeterFactory>(), store.Swarms);
        ConnectionIds = new ConnectionIds(Time);
        Udp = new UdpRequestHandler(tracker, ConnectionIds, limiter, metrics, NullLogger.Instance);
        Announce = new HttpAnnounceEndpoint(tracker, limiter, options.MaxNumWant, metrics, NullLogger.Instance);
        Scrape = new HttpScrapeEndpoint(tracker, limiter, NullLogger.Instance);
    }

    public ManualTimeProvider Time { get; }

    public TrackerOptions Options { get; }

    public ConnectionIds ConnectionIds { get; }

    public UdpRequestHandler Udp { get; }

    public HttpAnnounceEndpoint Announce { get; }

    public HttpScrapeEndpoint Scrape { get; }

    public MemorySwarmStore Swarms => (MemorySwarmStore)_store.Swarms;

    public static async Task<InProcessTracker> StartAsync()
    {
        string folder = Directory.CreateTempSubdirectory("shoal-fuzz-tracker-").FullName;
        var options = new TrackerOptions { DataDirectory = folder, RequestsPerMinutePerAddress = 0 };
        var time = new ManualTimeProvider();
        OpenedTrackerStore store = await TrackerStores.OpenAsync(options, time, NullLoggerFactory.Instance, CancellationToken.None);
        GroupSwarms groups = await GroupSwarms.LoadAsync(store.Accounts, time, complete: true, CancellationToken.None);
        return new InProcessTracker(folder, options, time, store, groups, new ServiceCollection().AddMetrics().BuildServiceProvider());
    }

    /// <summary>Moves past every peer's expiry and drops them, as the store's sweep does, so that a long run holds what one timeout's worth of announces adds.</summary>
    public void ExpireEveryPeer()
    {
        Time.Advance(Options.PeerTimeout + TimeSpan.FromSeconds(1));
        Swarms.ExpirePeers();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
