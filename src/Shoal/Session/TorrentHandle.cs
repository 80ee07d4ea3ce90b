using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Session;

/// <summary>A torrent in a session: its status, and the controls a user has over it.</summary>
public sealed class TorrentHandle
{
    private readonly TorrentRuntime _runtime;

    internal TorrentHandle(TorrentRuntime runtime)
    {
        _runtime = runtime;
        _runtime.Ticked += status => StatusUpdated?.Invoke(this, status);
    }

    /// <summary>Raised about once a second while the torrent runs, off the caller's thread.</summary>
    public event EventHandler<TorrentStatus>? StatusUpdated;

    public Torrent Torrent => _runtime.Torrent;

    public string Name => Torrent.Name;

    public TorrentState State => _runtime.State;

    /// <summary>Completes when every piece is verified and written; faults if the torrent fails, cancels if it is stopped first.</summary>
    public Task Completion => _runtime.Completion;

    /// <summary>Where each of the torrent's files is (padding entries included).</summary>
    public IReadOnlyList<string> FilePaths => _runtime.FilePaths;

    internal TorrentRuntime Runtime => _runtime;

    public TorrentStatus GetStatus() => _runtime.GetStatus();

    /// <summary>A copy of the pieces verified so far.</summary>
    public PieceSet GetPieces() => _runtime.GetPieces();

    public void AddPeers(IEnumerable<IPEndPoint> peers) => _runtime.Connections.AddPeers(peers, PeerSource.Given);

    /// <summary>Each file's priority, indexed as <see cref="Torrent.Files"/> (padding included, always <see cref="FilePriority.Skip"/>).</summary>
    public IReadOnlyList<FilePriority> FilePriorities => _runtime.FilePriorities;

    /// <summary>
    /// Chooses the files to fetch, one priority per entry of <see cref="Torrent.Files"/>; it takes effect at once,
    /// mid-download too. Skipped files are not created; pieces they share with wanted files are fetched, and their
    /// part of those is kept in a part file beside the download.
    /// </summary>
    public void SetFilePriorities(IReadOnlyList<FilePriority> priorities) => _runtime.SetFilePriorities(priorities);

    /// <summary>Changes this torrent's rate limits (bytes per second, 0 unlimited).</summary>
    public void SetLimits(long upload, long download) => _runtime.SetLimits(upload, download);

    /// <summary>Asks the first tracker of each tier for the swarm's numbers (BEP 48, BEP 15); a tracker's failure is in its result.</summary>
    public Task<IReadOnlyList<TrackerScrapeResult>> ScrapeAsync(CancellationToken cancellationToken = default) => _runtime.Trackers.ScrapeAsync(cancellationToken);

    public Task PauseAsync() => _runtime.PauseAsync();

    public void Resume() => _runtime.Resume();
}
