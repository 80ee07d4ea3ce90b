using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// Runs one torrent: checks what is on disk, then drives its swarm (one lock serializes every call into
/// it), dials known peers, accepts connections the session hands over, saves resume data.
/// </summary>
internal sealed partial class TorrentRuntime : IDisposable
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);
    private readonly ShoalSession _session;
    private readonly AddTorrentOptions _options;
    private readonly IReadOnlyList<string> _paths;
    private readonly FileStorage _storage;
    private readonly Lock _gate = new();
    private readonly KnownPeers _known = new();
    private readonly HashSet<Task> _connections = [];
    private int _reservedConnections;
    private readonly TokenBucket _uploadBucket;
    private readonly TokenBucket _downloadBucket;
    private readonly BandwidthLimiter _upload;
    private readonly BandwidthLimiter _download;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startTimestamp;
    private readonly SemaphoreSlim _resumeSaving = new(1);
    private readonly ILogger _logger;
    private CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private TorrentSwarm? _swarm;
    private PieceWorker? _worker;
    private int _checked;
    private TimeSpan _lastResumeSave;
    private int _savedPieceCount = -1;

    public TorrentRuntime(ShoalSession session, Torrent torrent, AddTorrentOptions options)
    {
        _session = session;
        Torrent = torrent;
        _options = options;
        if (options.ContentPath is { } content)
        {
            _paths = FileStorage.PathsForContent(torrent, content);
            _storage = new FileStorage(torrent, _paths, StorageAccess.ReadOnly);
        }
        else
        {
            string savePath = options.SavePath ?? throw new ArgumentException("a torrent needs a save path or a content path", nameof(options));
            _paths = FileStorage.PathsInDownloadFolder(torrent, savePath);
            _storage = new FileStorage(torrent, _paths, StorageAccess.ReadWrite);
        }

        _logger = session.Options.Loggers.CreateLogger("Shoal.Torrent");
        TimeProvider time = session.Options.Time;
        _startTimestamp = time.GetTimestamp();
        _uploadBucket = new TokenBucket(time, options.UploadLimit);
        _downloadBucket = new TokenBucket(time, options.DownloadLimit);
        _upload = new BandwidthLimiter(time, session.UploadBucket, _uploadBucket);
        _download = new BandwidthLimiter(time, session.DownloadBucket, _downloadBucket);
        foreach (IPEndPoint peer in options.Peers)
        {
            _known.Add(peer);
        }

        Trackers = new TorrentTrackers(session, torrent.Name, torrent.InfoHashes.ForWire, torrent.AnnounceTiers, options.Trackers, options.AnnounceUrlRewrite, TransferTotals, AddPeers, _logger);
        Handle = new TorrentHandle(this);
    }

    public TorrentHandle Handle { get; }

    public TorrentTrackers Trackers { get; }

    public Torrent Torrent { get; }

    public TorrentState State { get; private set; } = TorrentState.Checking;

    public string? Error { get; private set; }

    /// <summary>Completes when every piece is verified and written (at once for a seed).</summary>
    public Task Completion => _completed.Task;

    /// <summary>The file paths of the torrent's content, padding entries included.</summary>
    public IReadOnlyList<string> FilePaths => _paths;

    private string? ResumePath => _session.Options.StateDirectory is { } folder
        ? Path.Combine(folder, $"{Torrent.InfoHashes.ForWire.ToHex()}.resume")
        : null;

    private TimeSpan Now => _session.Options.Time.GetElapsedTime(_startTimestamp);

    public void Start() => _running = RunAsync(null, _stop.Token);

    public TorrentStatus GetStatus()
    {
        IReadOnlyList<TrackerStatus> trackers = Trackers.Statuses;
        lock (_gate)
        {
            SwarmStatus swarm = _swarm?.GetStatus() ?? new SwarmStatus(0, Torrent.PieceCount, 0, Torrent.AddressSpaceLength(), 0, 0, 0, 0, 0, 0, [], new Dictionary<string, long>());
            return new TorrentStatus(Torrent.Name, State, swarm, Volatile.Read(ref _checked), Error) { Trackers = trackers };
        }
    }

    /// <summary>What an announce reports: bytes moved since the swarm started, and bytes still missing.</summary>
    private (long Uploaded, long Downloaded, long Left) TransferTotals()
    {
        lock (_gate)
        {
            SwarmStatus? swarm = _swarm?.GetStatus();
            return swarm is null ? (0, 0, Torrent.TotalSize) : (swarm.Uploaded, swarm.Downloaded, swarm.TotalBytes - swarm.VerifiedBytes);
        }
    }

    public void AddPeers(IEnumerable<IPEndPoint> peers)
    {
        lock (_gate)
        {
            foreach (IPEndPoint peer in peers)
            {
                _known.Add(peer);
            }
        }

        if (_swarm is not null)
        {
            DialPeers();
        }
    }

    public void SetLimits(long upload, long download)
    {
        _uploadBucket.RatePerSecond = upload;
        _downloadBucket.RatePerSecond = download;
    }

    /// <summary>Stops moving data (connections closed, pieces in flight finished) but keeps the files open.</summary>
    public async Task PauseAsync()
    {
        if (State is TorrentState.Paused or TorrentState.Stopped or TorrentState.Failed)
        {
            return;
        }

        await StopSwarmAsync().ConfigureAwait(false);
        State = TorrentState.Paused;
    }

    public void Resume()
    {
        if (State != TorrentState.Paused || _swarm is null)
        {
            return;
        }

        PieceSet have;
        lock (_gate)
        {
            have = _swarm.Have.Clone();
        }

        _stop = new CancellationTokenSource();
        _running = RunAsync(have, _stop.Token);
    }

    /// <summary>Stops cleanly: connections closed, checked pieces written, resume data saved, files closed.</summary>
    public async Task StopAsync()
    {
        if (State != TorrentState.Stopped)
        {
            await StopSwarmAsync().ConfigureAwait(false);
            State = State == TorrentState.Failed ? State : TorrentState.Stopped;
        }

        Dispose();
        _completed.TrySetCanceled();
    }

    public void Dispose()
    {
        _storage.Dispose();
        Trackers.Dispose();
        _resumeSaving.Dispose();
        _stop.Dispose();
    }

    public void DeleteFiles()
    {
        foreach ((string path, FileEntry file) in _paths.Zip(Torrent.Files))
        {
            if (!file.IsPadding && File.Exists(path))
            {
                File.Delete(path);
            }
        }

        if (ResumePath is { } resume && File.Exists(resume))
        {
            File.Delete(resume);
        }
    }

    /// <summary>Takes over a connection the session accepted for this torrent.</summary>
    public async Task AcceptAsync(Socket socket, IPEndPoint remote, Handshake handshake)
    {
        if (_swarm is null || State is not (TorrentState.Downloading or TorrentState.Seeding) || !TryReserveConnection())
        {
            socket.Dispose();
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(PeerHandshaker.Timeout);
            await PeerHandshaker.WriteAsync(socket, OurHandshake(), timeout.Token).ConfigureAwait(false);
            await RunConnectionAsync(socket, remote, handshake, "incoming").ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
        }
        finally
        {
            ReleaseConnection();
        }
    }

    private Handshake OurHandshake() => new(ReservedBits.Shoal, Torrent.InfoHashes.ForWire, _session.PeerId);

    /// <summary>
    /// Takes a connection slot of this torrent and of the session, from the moment a dial or an accept
    /// starts: counting only established connections let simultaneous handshakes pass the limit together.
    /// </summary>
    private bool TryReserveConnection()
    {
        lock (_gate)
        {
            if (_reservedConnections >= _session.Options.MaxConnectionsPerTorrent)
            {
                return false;
            }

            _reservedConnections++;
        }

        if (_session.TryReserveConnection())
        {
            return true;
        }

        lock (_gate)
        {
            _reservedConnections--;
        }

        return false;
    }

    private void ReleaseConnection()
    {
        lock (_gate)
        {
            _reservedConnections--;
        }

        _session.ReleaseConnection();
    }

    private async Task RunConnectionAsync(Socket socket, IPEndPoint remote, Handshake handshake, string direction)
    {
        if (handshake.PeerId.Span.SequenceEqual(_session.PeerId.Span))
        {
            socket.Dispose();
            return;
        }

        var connection = new PeerConnection(socket, remote, Context());
        EngineLog.Connected(_logger, Torrent.Name, remote, direction);
        // When both sides dial each other at once, both keep the connection opened by the lower peer
        // id: a new connection replaces an open one with the same peer when its opener's id is the lower.
        int theirsFirst = handshake.PeerId.Span.SequenceCompareTo(_session.PeerId.Span);
        bool replacesDuplicate = direction == "incoming" ? theirsFirst < 0 : theirsFirst > 0;
        Task running = connection.RunAsync(handshake, _stop.Token, replacesDuplicate);
        lock (_gate)
        {
            _connections.Add(running);
        }

        await running.ConfigureAwait(false);
        lock (_gate)
        {
            _connections.Remove(running);
        }

        EngineLog.Disconnected(_logger, Torrent.Name, remote, connection.CloseReason ?? "closed");
    }

    private ConnectionContext Context() =>
        new(Torrent, _swarm!, _gate, _storage, _upload, _download, _session.Options.BufferPool, _session.Options.Swarm.MaxIncomingRequests);
}
