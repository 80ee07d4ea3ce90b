using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>
/// One torrent in a session: owns its files and its lock (one lock serializes every call into its swarm), and
/// wires its parts: <see cref="TorrentConnections"/>, <see cref="TorrentBandwidth"/>, <see cref="ResumeKeeper"/>,
/// <see cref="ContentCheck"/>, <see cref="TorrentTrackers"/>, <see cref="TorrentTick"/> and the
/// <see cref="TorrentLifecycle"/> that runs them.
/// </summary>
internal sealed class TorrentRuntime : IDisposable
{
    private readonly IReadOnlyList<string> _paths;
    private readonly FileStorage _storage;
    private readonly Lock _gate = new();
    private readonly TorrentBandwidth _bandwidth;

    /// <summary>The folder the torrent's files are laid out in; deleting them never removes it.</summary>
    private readonly string _folder;
    private readonly ResumeKeeper _resume;
    private readonly ContentCheck _check;
    private readonly TorrentLifecycle _lifecycle;
    private readonly TorrentFileChoice _files;
    private readonly ContentWatch _contentWatch;
    private readonly TorrentWebSeeds _webSeeds;

    public TorrentRuntime(SessionContext session, Torrent torrent, AddTorrentOptions options)
    {
        Torrent = torrent;
        _files = new TorrentFileChoice(torrent, options.ChooseFiles?.Invoke(torrent));
        if (options.ContentPath is { } content)
        {
            _folder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(content)))!;
            _paths = FileStorage.PathsForContent(torrent, content);
            _storage = new FileStorage(torrent, _paths, StorageAccess.ReadOnly);
        }
        else
        {
            string savePath = options.SavePath ?? throw new ArgumentException("a torrent needs a save path or a content path", nameof(options));
            _folder = Path.GetFullPath(savePath);
            _paths = FileStorage.PathsInDownloadFolder(torrent, savePath);
            _storage = new FileStorage(torrent, _paths, StorageAccess.ReadWrite, Path.Combine(_folder, $".{torrent.InfoHashes.ForWire.ToHex()}.parts"));
            _storage.SetPriorities(_files.Files);
        }

        ILogger logger = session.Options.Loggers.CreateLogger("Shoal.Torrent");
        _bandwidth = new TorrentBandwidth(session, options.UploadLimit, options.DownloadLimit);
        Connections = new TorrentConnections(session, torrent, _gate, _storage, _bandwidth, logger);
        Connections.AddPeers(options.Peers, PeerSource.Given);
        _webSeeds = new TorrentWebSeeds(session, torrent, _gate, _bandwidth, logger);
        _resume = new ResumeKeeper(session.Options, torrent, _paths, _storage, _gate);
        _check = new ContentCheck(torrent, options, _paths, _storage, _resume, session.Options.BufferPool, logger);
        Trackers = new TorrentTrackers(
            session, torrent.Name, torrent.InfoHashes.ForWire, torrent.AnnounceTiers, options.Trackers, options.AnnounceUrlRewrite, TransferTotals, Connections, logger,
            torrent.InfoHashes.WireHashes.Skip(1).FirstOrDefault());
        _contentWatch = new ContentWatch(torrent, _paths, session.Options.Time);
        var tick = new TorrentTick(session.Options.Time, _gate, Connections, _webSeeds, Trackers, _resume, _contentWatch, session.Reachability, session.DhtContact);
        tick.Ticked += () => Ticked?.Invoke(GetStatus());
        _lifecycle = new TorrentLifecycle(session, torrent, options, _storage, _gate, _check, _resume, Connections, _webSeeds, Trackers, tick, _files, logger);
        Handle = new TorrentHandle(this);
    }

    public event Action<TorrentStatus>? Ticked;

    public TorrentHandle Handle { get; }

    public TorrentConnections Connections { get; }

    public TorrentTrackers Trackers { get; }

    public Torrent Torrent { get; }

    public TorrentState State => _lifecycle.State;

    /// <summary>Completes when every piece is verified and written (at once for a seed).</summary>
    public Task Completion => _lifecycle.Completion;

    /// <summary>The file paths of the torrent's content, padding entries included.</summary>
    public IReadOnlyList<string> FilePaths => _paths;

    public void Start() => _lifecycle.Start();

    public Task PauseAsync() => _lifecycle.PauseAsync();

    public void Resume() => _lifecycle.Resume();

    /// <summary>Stops cleanly: connections closed, checked pieces written, resume data saved, files closed.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.StopAsync().ConfigureAwait(false);
        Dispose();
    }

    public void Dispose()
    {
        _storage.Dispose();
        Trackers.Dispose();
        _resume.Dispose();
        _lifecycle.Dispose();
        _webSeeds.Dispose();
    }

    public void SetLimits(long upload, long download) => _bandwidth.SetLimits(upload, download);

    /// <summary>Each file's priority now, indexed as the torrent's file list (padding included, always skipped).</summary>
    public IReadOnlyList<FilePriority> FilePriorities
    {
        get
        {
            lock (_gate)
            {
                return _files.Files;
            }
        }
    }

    /// <summary>
    /// Takes the user's new choice of files at once: the swarm fetches what is now wanted and leaves what is not, and
    /// a file wanted again is created with the bytes the part file kept for it (pieces written meanwhile go to the
    /// part file and move with them).
    /// </summary>
    public void SetFilePriorities(IReadOnlyList<FilePriority> priorities)
    {
        if (_storage.Access == StorageAccess.ReadOnly && Metainfo.FilePriorities.SkipsContent(Torrent, priorities))
        {
            throw new SessionException($"'{Torrent.Name}' is shared from files that are complete: there is nothing to skip");
        }

        lock (_gate)
        {
            _files.Set(priorities);
        }

        _lifecycle.OnFilesChosen();
        _contentWatch.Change(() => _storage.SetPriorities(_files.Files));
    }

    public TorrentStatus GetStatus()
    {
        IReadOnlyList<TrackerStatus> trackers = Trackers.Statuses;
        lock (_gate)
        {
            SwarmStatus swarm = _lifecycle.Swarm?.GetStatus() ?? _lifecycle.StatusBeforeRun;
            if (_lifecycle.State is not (TorrentState.Downloading or TorrentState.Seeding))
            {
                // A stopped swarm's meters keep the window they last measured: nothing moves while paused.
                swarm = swarm with { DownloadRate = 0, UploadRate = 0 };
            }

            return new TorrentStatus(Torrent.Name, _lifecycle.State, swarm, _check.CheckedPieces, _lifecycle.Error) { Trackers = trackers, WebSeeds = _webSeeds.Statuses(swarm) };
        }
    }

    /// <summary>A copy of the verified pieces, for piece maps and per-file progress.</summary>
    public PieceSet GetPieces()
    {
        lock (_gate)
        {
            return (_lifecycle.Swarm?.Have ?? _lifecycle.PiecesBeforeRun).Clone();
        }
    }

    public void DeleteFiles()
    {
        foreach ((string path, FileEntry file) in _paths.Zip(Torrent.Files))
        {
            if (!file.IsPadding && File.Exists(path))
            {
                File.Delete(path);
                RemoveEmptyFoldersAbove(path);
            }
        }

        if (_storage.PartFilePath is { } partFile && File.Exists(partFile))
        {
            File.Delete(partFile);
        }

        _resume.Delete();
    }

    /// <summary>The folders the torrent's layout made (NAME/…), once the deletion left them empty; never the save folder.</summary>
    private void RemoveEmptyFoldersAbove(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        while (folder is not null
            && folder.Length > _folder.Length
            && folder.StartsWith(_folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && Directory.Exists(folder)
            && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder);
        }
    }

    /// <summary>What an announce reports: bytes moved since the swarm started, bytes of wanted pieces still missing, and whether we are a partial seed (BEP 21).</summary>
    private (long Uploaded, long Downloaded, long Left, bool PartialSeed) TransferTotals()
    {
        lock (_gate)
        {
            SwarmStatus? swarm = _lifecycle.Swarm?.GetStatus();
            return swarm is null
                ? (0, 0, Torrent.TotalSize, false)
                : (swarm.Uploaded, swarm.Downloaded, swarm.Left, swarm.Left == 0 && swarm.PiecesHave < swarm.PieceCount);
        }
    }
}
