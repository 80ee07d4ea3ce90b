using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Discovery.Dht;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Net.Encryption;
using Shoal.Net.Streams;
using Shoal.Net.Utp;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// The engine's public face: one listening port, the torrents, global connection and rate limits. The
/// command-line tool and the node talk only to this.
/// </summary>
public sealed class ShoalSession : IAsyncDisposable
{
    // Each uTP connection's receive window and send buffer: with the session's 200 connections, at most 100 MiB each
    // that peers can make us hold; a window of 512 KiB still fills 40 Mbit/s at 100 ms.
    private const int UtpBufferSize = 512 * 1024;

    private readonly PeerListener _listener;
    private readonly UtpSocket? _utp;
    private readonly SessionTorrents _torrents = new();
    private readonly SessionContext _context;
    private readonly Task _accepting;
    private readonly HttpClient _trackerHttp;
    private readonly bool _ownsTrackerHttp;
    private readonly CancellationTokenSource _closing = new();
    private readonly SessionDiscovery _discovery;
    private readonly SessionReachability _reachability;
    private bool _disposed;

    private ShoalSession(SessionOptions options)
    {
        Options = options;
        PeerId = PeerIdentity.Create();
        _ownsTrackerHttp = options.HttpClient is null;
        _trackerHttp = options.HttpClient ?? new HttpClient();
        PeerPorts ports = PeerPorts.Open(new IPEndPoint(options.ListenAddress, options.ListenPort), withUdp: options.Dht is not null || options.Utp, options.ListenPortFallback);
        _listener = ports.Listener;
        RequestedPort = ports.RequestedPort;
        if (RequestedPort != 0 && RequestedPort != _listener.LocalEndPoint.Port)
        {
            EngineLog.PortTaken(options.Loggers.CreateLogger("Shoal.Net"), RequestedPort, _listener.LocalEndPoint.Port);
        }

        // uTP (BEP 29) takes the UDP socket and hands the DHT what is not uTP; without uTP the DHT has it alone.
        _utp = options.Utp && ports.Udp is { } udp
            ? new UtpSocket(udp, stream => AcceptStreamAsync(stream), new UtpSocketOptions { ReceiveBufferSize = UtpBufferSize, SendBufferSize = UtpBufferSize, DropsUnsolicited = options.UtpDropsUnsolicited }, options.Time)
            : null;
        UtpSocket? utp = _utp;
        int port = _listener.LocalEndPoint.Port;
        _reachability = new SessionReachability(options, options.Tcp ? port : 0, ports.Udp is null ? 0 : port);
        _reachability.Changed += () => ReachabilityChanged?.Invoke();
        _context = new SessionContext(
            options,
            PeerId,
            port,
            // The key of every announce (BEP 3): the same for the session's life, so trackers know us across address changes.
            Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
            new TokenBucket(options.Time, options.UploadLimit),
            new TokenBucket(options.Time, options.DownloadLimit),
            new ConnectionSlots(() => _context!.MaxConnections),
            new AddressSlots(options.MaxConnectionsPerAddress),
            new TrackerClientFactory(_trackerHttp, options.Time),
            new PeerConnector(
                options.Time,
                options.Tcp,
                utp is null ? null : async (endPoint, cancellationToken) => await utp.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false),
                _listener.LocalEndPoint.Port),
            _reachability);
        if (options.Tcp)
        {
            _accepting = _listener.AcceptLoopAsync(AcceptAsync);
        }
        else
        {
            // The port number stays ours through the UDP socket; TCP connections are refused rather than left waiting.
            _listener.Dispose();
            _accepting = Task.CompletedTask;
        }

        _discovery = new SessionDiscovery(_context, _torrents, ports, _utp);
        _context.DhtContact = _discovery.DhtContact;
        _reachability.Start();
    }

    /// <summary>Raised, off the caller's thread, when a port was mapped or failed to be, or the external address changed.</summary>
    public event Action? ReachabilityChanged;

    public SessionOptions Options { get; }

    public ReadOnlyMemory<byte> PeerId { get; }

    public IPEndPoint ListenEndPoint => _listener.LocalEndPoint;

    /// <summary>The port the options asked for (0 for any); another was used when it was taken (see <see cref="SessionOptions.ListenPortFallback"/>).</summary>
    public int RequestedPort { get; }

    /// <summary>The DHT node's id, routing table and stored peers; null when the session has no DHT.</summary>
    public DhtState? DhtState => _discovery.DhtState;

    /// <summary>The ports, their mappings on the router, and the external address with its source.</summary>
    public ReachabilityStatus Reachability => _reachability.Status;

    public IReadOnlyList<TorrentHandle> Torrents => [.. _torrents.All.Select(t => t.Handle)];

    /// <summary>The session-wide rate limits now, bytes per second (0 unlimited).</summary>
    public (long Upload, long Download) RateLimits => (_context.UploadBucket.RatePerSecond, _context.DownloadBucket.RatePerSecond);

    /// <summary>The connection limits now, for the session and for each torrent.</summary>
    public (int Session, int PerTorrent) ConnectionLimits => (_context.MaxConnections, _context.ConnectionsPerTorrent);

    /// <summary>Changes the session-wide rate limits at once (bytes per second, 0 unlimited).</summary>
    public void SetRateLimits(long upload, long download)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(upload);
        ArgumentOutOfRangeException.ThrowIfNegative(download);
        _context.UploadBucket.RatePerSecond = upload;
        _context.DownloadBucket.RatePerSecond = download;
    }

    /// <summary>Changes the connection limits; connections above a lowered limit stay until they end, none opens until under it.</summary>
    public void SetConnectionLimits(int session, int perTorrent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(session);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perTorrent);
        _context.MaxConnections = session;
        _context.ConnectionsPerTorrent = perTorrent;
    }

    /// <summary>Opens the listening port. A port in use or an address that is not ours is a <see cref="NetworkException"/>.</summary>
    public static ShoalSession Start(SessionOptions options) => new(options);

    /// <summary>Adds a torrent and starts it: checking its files first when needed, then downloading or seeding.</summary>
    public TorrentHandle Add(Torrent torrent, AddTorrentOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var runtime = new TorrentRuntime(_context, torrent, options);
        if (!_torrents.TryAdd(runtime))
        {
            throw new SessionException($"the torrent '{torrent.Name}' is already in the session");
        }

        runtime.Start();
        _discovery.Add(torrent);
        return runtime.Handle;
    }

    /// <summary>
    /// Fetches a magnet's metadata from peers (BEP 9): those of <paramref name="options"/>, the link's x.pe,
    /// and those its trackers and the options' give. It waits until a peer gives metadata that matches the link's info-hashes, then adds the torrent,
    /// with the link's trackers and the same peers, as <see cref="Add(Torrent, AddTorrentOptions)"/> does.
    /// </summary>
    public async Task<TorrentHandle> AddAsync(MagnetLink magnet, AddTorrentOptions options, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var fetch = new MagnetFetch(_context, magnet, options);
        fetch.AddPeers(options.Peers, PeerSource.Given);
        await fetch.AddMagnetPeersAsync(stop.Token).ConfigureAwait(false);
        InfoHash infoHash = magnet.InfoHashes.ForWire;
        _torrents.AddFetch(infoHash, fetch);

        // The DHT and local discovery look for the magnet's peers while its metadata is fetched.
        _discovery.Look(infoHash);
        ReadOnlyMemory<byte> info;
        IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? layers;
        IReadOnlyList<IPEndPoint> peers;
        try
        {
            (info, layers, peers) = await fetch.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch
        {
            _discovery.Remove(infoHash);
            throw;
        }
        finally
        {
            _torrents.RemoveFetch(infoHash);
        }

        Torrent torrent;
        try
        {
            torrent = TorrentParser.ParseInfoDictionary(info);
        }
        catch (MetainfoException e)
        {
            throw new SessionException($"the metadata peers gave for the magnet link matches its info-hash but is not a valid torrent: {e.Message}");
        }

        // A v2-only torrent's pieces are checked against piece layers, which peers gave proven against each file's root.
        return Add(
            torrent with { AnnounceTiers = MagnetFetch.Tiers(magnet), WebSeeds = magnet.WebSeeds, PieceLayers = layers ?? torrent.PieceLayers },
            options with { Peers = peers, ChooseFiles = options.ChooseFiles ?? SelectOnly(magnet) });
    }

    /// <summary>BEP 53: the files a magnet's <c>so=</c> selects, every other skipped; null when it selects none.</summary>
    private static Func<Torrent, IReadOnlyList<FilePriority>>? SelectOnly(MagnetLink magnet) =>
        magnet.SelectOnly.Count == 0 ? null : torrent => FilePriorities.SelectOnly(torrent, magnet.SelectOnly);

    /// <summary>Stops a torrent cleanly and forgets it; <paramref name="deleteFiles"/> also removes its files and resume data.</summary>
    public async Task RemoveAsync(TorrentHandle handle, bool deleteFiles)
    {
        foreach (InfoHash hash in handle.Torrent.InfoHashes.WireHashes)
        {
            _torrents.Remove(hash);
            _discovery.Remove(hash);
        }


        await handle.Runtime.StopAsync().ConfigureAwait(false);
        if (deleteFiles)
        {
            handle.Runtime.DeleteFiles();
        }
    }

    /// <summary>Stops every torrent cleanly (resume data saved) and closes the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _closing.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        TorrentRuntime[] torrents = _torrents.TakeAll();
        await Task.WhenAll(torrents.Select(t => t.StopAsync())).ConfigureAwait(false);
        await _discovery.DisposeAsync().ConfigureAwait(false);

        // After the torrents' stopped announces, which name the mapped port: then the mappings go.
        await _reachability.DisposeAsync().ConfigureAwait(false);
        if (_utp is not null)
        {
            await _utp.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsTrackerHttp)
        {
            _trackerHttp.Dispose();
        }

        _closing.Dispose();
    }

    private Task AcceptAsync(Socket socket) => AcceptStreamAsync(new TcpPeerStream(socket));

    /// <summary>A connection a peer opened, over TCP or uTP, within its address's slot.</summary>
    private async Task AcceptStreamAsync(IPeerStream stream)
    {
        // uTP may hand over a connection while the constructor has not finished.
        if (_context is null)
        {
            stream.Dispose();
            return;
        }

        IPAddress address = stream.Remote.Address;
        if (!_context.AddressSlots.TryTake(address))
        {
            stream.Dispose();
            return;
        }

        try
        {
            await AcceptHandshakeAsync(stream).ConfigureAwait(false);
        }
        finally
        {
            _context.AddressSlots.Release(address);
        }
    }

    /// <summary>
    /// Answers MSE or takes plaintext as the session's encryption allows, reads the handshake of an accepted connection
    /// and hands it to its torrent, which must be the one MSE named.
    /// </summary>
    private async Task AcceptHandshakeAsync(IPeerStream raw)
    {
        IPeerStream stream = raw;
        try
        {
            using var timeout = new CancellationTokenSource(PeerHandshaker.Timeout);
            (stream, InfoHash? skey) = await IncomingEncryption.AcceptAsync(raw, Options.Encryption, _torrents.FindByReq2, timeout.Token).ConfigureAwait(false);
            Handshake handshake = await PeerHandshaker.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if ((skey is not null && !skey.Equals(handshake.InfoHash)) || _torrents.Find(handshake.InfoHash) is not { } runtime)
            {
                stream.Dispose();
                return;
            }

            await runtime.Connections.AcceptAsync(stream, handshake).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or PeerProtocolException or ObjectDisposedException or MseException)
        {
            stream.Dispose();
        }
    }
}
