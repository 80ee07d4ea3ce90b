using System.Diagnostics.Metrics;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Http;
using Shoal.Tracker.Index;
using Shoal.Tracker.Metrics;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Storage;
using Shoal.Tracker.Swarms;
using Shoal.Tracker.Udp;

namespace Shoal.Benchmarks;

/// <summary>
/// One announce answered in process, as bench/tracker.sh's load makes them: a leecher re-announces in
/// a swarm of 100 IPv4 peers (one in five a seeder) and gets 50. The store's own work (record and
/// sample) is the baseline; the HTTP and UDP handlers add parsing the request and encoding the answer.
/// </summary>
[MemoryDiagnoser]
public class TrackerAnswerBenchmarks
{
    private const int SwarmPeers = 100;
    private const int NumWant = 50;
    private const int PeerPort = 6881;

    private static readonly IPAddress Asker = PeerAt(0);

    private string _folder = "";
    private OpenedTrackerStore _store = null!;
    private ServiceProvider _services = null!;
    private PeerAnnouncement _announcement;
    private HttpAnnounceEndpoint _http = null!;
    private DefaultHttpContext _httpContext = null!;
    private UdpRequestHandler _udp = null!;
    private byte[] _udpPacket = [];
    private byte[] _udpResponse = [];
    private IPEndPoint _udpRemote = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("shoal-bench-").FullName;
        var options = new TrackerOptions { DataDirectory = _folder, RequestsPerMinutePerAddress = 0 };
        var time = new FrozenTime();
        _store = await TrackerStores.OpenAsync(options, time, NullLoggerFactory.Instance, CancellationToken.None);
        var tracker = new TrackerService(options, new AnnounceIntervals(options, _store.StartedEmpty, time), _store.Swarms, new RegisteredSwarms(_store.Files, time), await GroupSwarms.LoadAsync(_store.Accounts, time, complete: true, CancellationToken.None));
        var limiter = new AddressRateLimiter(0);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new TrackerMetrics(_services.GetRequiredService<IMeterFactory>(), _store.Swarms);

        var infoHash = new InfoHash(new byte[InfoHash.V1Length]);
        InfoHashKey swarm = InfoHashKey.From(infoHash);
        for (int i = 0; i < SwarmPeers; i++)
        {
            var peer = new PeerAnnouncement(swarm, new PeerAddress(PeerAt(i), PeerPort), IsSeeder: i % 5 == 4, AnnounceEvent.Started, 0, PeerFamilies.Both);
            await _store.Swarms.AnnounceAsync(peer, CancellationToken.None);
        }

        _announcement = new PeerAnnouncement(swarm, new PeerAddress(Asker, PeerPort), IsSeeder: false, AnnounceEvent.None, NumWant, PeerFamilies.Both);

        _http = new HttpAnnounceEndpoint(tracker, limiter, options.MaxNumWant, metrics, NullLogger.Instance);
        var request = new AnnounceRequest(infoHash, new byte[AnnounceRequest.IdLength], PeerPort, 0, 0, 1000) { NumWant = NumWant };
        string url = AnnounceRequestCodec.AppendQuery(new Uri("http://tracker.example/announce"), request);
        _httpContext = new DefaultHttpContext();
        _httpContext.Request.QueryString = new QueryString(url[url.IndexOf('?', StringComparison.Ordinal)..]);
        _httpContext.Connection.RemoteIpAddress = Asker;
        _httpContext.Response.Body = Stream.Null;

        var connectionIds = new ConnectionIds(time);
        _udp = new UdpRequestHandler(tracker, connectionIds, limiter, metrics, NullLogger.Instance);
        _udpRemote = new IPEndPoint(Asker, PeerPort);
        _udpPacket = new byte[UdpTrackerCodec.AnnounceRequestLength];
        UdpTrackerCodec.WriteAnnounceRequest(_udpPacket, new UdpAnnounceRequest(
            connectionIds.Issue(Asker), 1, infoHash, new byte[AnnounceRequest.IdLength], 0, 1000, 0, AnnounceEvent.None, 0, 0, NumWant, PeerPort));
        _udpResponse = new byte[UdpRequestHandler.MaxResponseLength(options.MaxNumWant)];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ValueTask<AnnounceAnswer> Store() => _store.Swarms.AnnounceAsync(_announcement, CancellationToken.None);

    [Benchmark]
    public Task Http() => _http.HandleAsync(_httpContext);

    [Benchmark]
    public ValueTask<int> Udp() => _udp.HandleAsync(_udpPacket, _udpRemote, _udpResponse, CancellationToken.None);

    private static IPAddress PeerAt(int i) => new([10, 0, (byte)(i >> 8), (byte)i]);

    /// <summary>Time that stands still: no peer expires and no cached answer ages during a run.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
