using System.Net;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Dht;
using Shoal.Discovery.Lsd;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Net.Utp;

namespace Shoal.Session;

/// <summary>
/// Peer sources beyond trackers for a session: the DHT (BEP 5) and local service discovery
/// (BEP 14). A private torrent uses neither (BEP 27).
/// </summary>
internal sealed class SessionDiscovery : IAsyncDisposable
{
    // While the routing table is empty, or a download has found nobody, look again soon, then less
    // and less often: 5 s, doubling up to the announce interval.
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NodeCheck = TimeSpan.FromMilliseconds(250);

    private readonly SessionContext _session;
    private readonly SessionTorrents _torrents;
    private readonly ILogger _logger;
    private readonly DhtService? _dht;
    private readonly Task _dhtStarted = Task.CompletedTask;
    private readonly LsdService? _lsd;
    private readonly Lock _lock = new();
    private readonly Dictionary<InfoHash, CancellationTokenSource> _dhtLoops = [];

    /// <summary>The DHT runs on <paramref name="utp"/>'s socket when there is one (BEP 29 and BEP 5 share the port), else on the ports' UDP socket.</summary>
    public SessionDiscovery(SessionContext session, SessionTorrents torrents, PeerPorts ports, UtpSocket? utp)
    {
        _session = session;
        _torrents = torrents;
        int port = session.ListenPort;
        _logger = session.Options.Loggers.CreateLogger("Shoal.Discovery");
        if (session.Options.Dht is { } dht)
        {
            if (utp is not null)
            {
                DhtService shared = new(utp, port, options: dht.Node, time: session.Options.Time) { Logger = _logger };
                utp.Fallback = shared.Receive;
                _dht = shared;
                _dhtStarted = StartDhtAsync(_dht, dht);
            }
            else if (ports.Udp is { } udp)
            {
                _dht = new DhtService(udp, options: dht.Node, time: session.Options.Time) { Logger = _logger };
                _dhtStarted = StartDhtAsync(_dht, dht);
            }
            else
            {
                EngineLog.DhtUnavailable(_logger, port, ports.UdpError!);
            }

            if (_dht is not null)
            {
                ShareExternalAddress(_dht, session.Reachability.Votes);
            }
        }

        if (session.Options.LocalDiscovery)
        {
            _lsd = new LsdService(port, session.Options.Time, _logger, LocalDiscoveryOn(session.Options.ListenAddress));
            _lsd.PeerFound += peer => torrents.AddPeers(peer.InfoHash, [peer.EndPoint], PeerSource.LocalDiscovery);
            _lsd.Start();
        }
    }

    /// <summary>
    /// BEP 42 both ways: the address DHT nodes agree on is one voice among the session's votes (one: the DHT counted its
    /// nodes itself), and the session's public verdict from other sources (the router, trackers, peers) gives the DHT its
    /// node id until its own nodes agree.
    /// </summary>
    internal static void ShareExternalAddress(DhtService dht, ExternalAddressVotes votes)
    {
        dht.ExternalAddressVoted += address => votes.Report(address, ExternalAddressSource.Dht, "dht");
        votes.Changed += () =>
        {
            if (votes.Current is { Source: not ExternalAddressSource.Dht } current && ExternalAddressVotes.IsPublic(current.Address))
            {
                dht.UseExternalAddress(current.Address);
            }
        };
    }

    /// <summary>The DHT node's id, table and store, or null without a DHT.</summary>
    public DhtState? DhtState => _dht?.State;

    /// <summary>Where the DHT nodes peers name in PORT messages go (BEP 5): pinged, they may join the table; null without a DHT.</summary>
    public Action<IPEndPoint>? DhtContact => _dht is { } dht ? dht.Contact : null;

    /// <summary>
    /// A torrent joins, under each hash peers may know it by (a hybrid's v1 and truncated v2 hash: both swarms); a
    /// private one (BEP 27) stops what its magnet link may have started.
    /// </summary>
    public void Add(Torrent torrent)
    {
        foreach (InfoHash hash in torrent.InfoHashes.WireHashes)
        {
            if (torrent.IsPrivate)
            {
                Remove(hash);
            }
            else
            {
                Look(hash);
            }
        }
    }

    /// <summary>Announces and looks up <paramref name="infoHash"/>, unless that is already under way (a magnet's fetch started it).</summary>
    public void Look(InfoHash infoHash)
    {
        _lsd?.Announce(infoHash, isPrivate: false);
        if (_dht is null)
        {
            return;
        }

        var stop = new CancellationTokenSource();
        lock (_lock)
        {
            if (!_dhtLoops.TryAdd(infoHash, stop))
            {
                stop.Dispose();
                return;
            }
        }

        _ = AnnounceLoopAsync(_dht, infoHash, stop.Token);
    }

    public void Remove(InfoHash infoHash)
    {
        _lsd?.Withdraw(infoHash);
        CancellationTokenSource? stop;
        lock (_lock)
        {
            _dhtLoops.Remove(infoHash, out stop);
        }

        stop?.Cancel();
        stop?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        InfoHash[] running;
        lock (_lock)
        {
            running = [.. _dhtLoops.Keys];
        }

        foreach (InfoHash infoHash in running)
        {
            Remove(infoHash);
        }

        if (_lsd is not null)
        {
            await _lsd.DisposeAsync().ConfigureAwait(false);
        }

        if (_dht is not null)
        {
            if (_session.Options.Dht?.StateFile is { } file)
            {
                await SaveQuietlyAsync(_dht, file).ConfigureAwait(false);
            }

            await _dht.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Announced from the address peers can reach: a session listening on one IPv4 address multicasts from it.
    private static LsdOptions LocalDiscoveryOn(IPAddress listen) =>
        listen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !listen.Equals(IPAddress.Any)
            ? new LsdOptions { IPv4Interface = listen, IPv6Group = null }
            : new LsdOptions();

    private async Task StartDhtAsync(DhtService dht, SessionDhtOptions options)
    {
        IEnumerable<IPEndPoint> saved = [];
        if (options.StateFile is { } file && File.Exists(file))
        {
            try
            {
                if (options.KeepNodeId)
                {
                    await dht.ResumeIdAsync(file).ConfigureAwait(false);
                }

                saved = await DhtService.LoadAsync(file).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                EngineLog.DhtStateUnreadable(_logger, file, e.Message);
            }
        }

        if (options.StateFile is { } stateFile)
        {
            // A new id (BEP 42) is kept at once: a crash before the clean stop would otherwise start the next run without it.
            dht.IdChanged += changed => _ = SaveQuietlyAsync(dht, stateFile);
        }

        await dht.StartAsync(options.Bootstrap, saved).ConfigureAwait(false);
    }

    // Announcing also looks the torrent's peers up (get_peers comes first), so one loop does both.
    private async Task AnnounceLoopAsync(DhtService dht, InfoHash infoHash, CancellationToken stop)
    {
        TimeSpan interval = _session.Options.Dht!.AnnounceInterval;
        TimeSpan retry = FirstRetry;
        try
        {
            await _dhtStarted.WaitAsync(stop).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                IReadOnlyList<IPEndPoint> found = await dht.AnnounceAsync(NodeId.Read(infoHash.Span), _session.Reachability.AnnouncePort, stop).ConfigureAwait(false);

                // Our own earlier announce comes back to us; counted as a peer, it would also stop the looking for others.
                IPEndPoint[] peers = [.. found.Where(peer => !_session.Reachability.IsOurselves(peer))];
                _torrents.AddPeers(infoHash, peers, PeerSource.Dht);
                int nodes = dht.State.RoutingTableSize;
                EngineLog.DhtAnnounced(_logger, infoHash, peers.Length, nodes);
                bool seeding = _torrents.IsSeeding(infoHash);
                TimeSpan wait = interval;
                if (nodes == 0 || (peers.Length == 0 && !seeding))
                {
                    wait = retry;
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, interval.Ticks));
                }

                await (nodes == 0 ? WaitForANodeAsync(dht, wait, stop) : Task.Delay(wait, _session.Options.Time, stop)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            EngineLog.DhtFailed(_logger, infoHash, e);
        }
    }

    /// <summary>
    /// A node that knew nobody announces as soon as someone joins its table (a peer bootstrapping through it), not
    /// at the end of its back-off: that peer may be looking the torrent up right now.
    /// </summary>
    private async Task WaitForANodeAsync(DhtService dht, TimeSpan longest, CancellationToken stop)
    {
        TimeSpan waited = TimeSpan.Zero;
        while (waited < longest && dht.State.RoutingTableSize == 0)
        {
            await Task.Delay(NodeCheck, _session.Options.Time, stop).ConfigureAwait(false);
            waited += NodeCheck;
        }
    }

    private async Task SaveQuietlyAsync(DhtService dht, string file)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await dht.SaveAsync(file).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            EngineLog.DhtStateUnreadable(_logger, file, e.Message);
        }
    }
}
