using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// A torrent's states and the moves between them: <see cref="TorrentState.Checking"/> at start, then a run
/// (<see cref="TorrentState.Downloading"/> or <see cref="TorrentState.Seeding"/>) with its swarm, connections,
/// trackers and tick; paused and resumed with the pieces it had; stopped; failed, with why.
/// </summary>
internal sealed class TorrentLifecycle(
    SessionContext session,
    Torrent torrent,
    AddTorrentOptions options,
    FileStorage storage,
    Lock gate,
    ContentCheck check,
    ResumeKeeper resume,
    TorrentConnections connections,
    TorrentWebSeeds webSeeds,
    TorrentTrackers trackers,
    TorrentTick tick,
    TorrentFileChoice files,
    ILogger logger) : IDisposable
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private TorrentSwarm? _swarm;
    private PieceWorker? _worker;
    private int _failing;

    public TorrentState State { get; private set; } = TorrentState.Checking;

    public string? Error { get; private set; }

    /// <summary>Completes when every wanted piece is first verified and written (at once for a seed).</summary>
    public Task Completion => _completed.Task;

    /// <summary>The swarm of the current or last run, null before the first; read it under the torrent's lock.</summary>
    public TorrentSwarm? Swarm => _swarm;

    /// <summary>
    /// The status before the first run has a swarm: nothing moving, and for a torrent added paused the
    /// pieces its trusted resume data vouches for, worked out once.
    /// </summary>
    public SwarmStatus StatusBeforeRun { get; private set; } = IdleStatus(torrent, files, new PieceSet(torrent.PieceCount));

    /// <summary>The pieces <see cref="StatusBeforeRun"/> counts.</summary>
    public PieceSet PiecesBeforeRun { get; private set; } = new(torrent.PieceCount);

    public void Start()
    {
        if (options.Paused)
        {
            // What trusted resume data says is there, so a paused torrent shows its progress without a check.
            PiecesBeforeRun = (options.ContentIsVerified || options.Recheck ? null : resume.LoadTrusted()?.Pieces) ?? new PieceSet(torrent.PieceCount);
            StatusBeforeRun = IdleStatus(torrent, files, PiecesBeforeRun);
            State = TorrentState.Paused;
            return;
        }

        _running = RunAsync(null, _stop.Token);
    }

    /// <summary>Stops moving data (connections closed, pieces in flight finished) but keeps the files open.</summary>
    public async Task PauseAsync()
    {
        if (State is TorrentState.Paused or TorrentState.Stopped or TorrentState.Failed)
        {
            return;
        }

        await StopRunAsync().ConfigureAwait(false);
        State = TorrentState.Paused;
    }

    public void Resume()
    {
        if (State != TorrentState.Paused)
        {
            return;
        }

        // Paused before any run finished its check (added paused, or paused while checking): check now.
        PieceSet? have = null;
        if (_swarm is not null)
        {
            lock (gate)
            {
                have = _swarm.Have.Clone();
            }
        }

        _stop = new CancellationTokenSource();
        _running = RunAsync(have, _stop.Token);
    }

    /// <summary>Stops cleanly: connections closed, checked pieces written, resume data saved.</summary>
    public async Task StopAsync()
    {
        if (State != TorrentState.Stopped)
        {
            await StopRunAsync().ConfigureAwait(false);
            State = State == TorrentState.Failed ? State : TorrentState.Stopped;
        }
    }

    /// <summary>After the stop: <see cref="Completion"/> is cancelled if it had not finished.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _completed.TrySetCanceled();
    }

    /// <summary>A run: the pieces found (or kept by a pause), then the swarm, ticked until the run is cancelled.</summary>
    private async Task RunAsync(PieceSet? have, CancellationToken cancellationToken)
    {
        try
        {
            if (have is null)
            {
                State = TorrentState.Checking;
                have = await check.FindPiecesAsync(cancellationToken).ConfigureAwait(false);
            }

            if (options.ContentPath is { } content && !have.IsComplete)
            {
                throw new StorageException(
                    $"'{content}' does not match the torrent: {torrent.PieceCount - have.Count} of {torrent.PieceCount} pieces differ");
            }

            if (storage.Access == StorageAccess.ReadWrite)
            {
                storage.Allocate();
            }

            TorrentSwarm swarm = StartSwarm(have);

            // Recorded before this run writes anything: the last stop's record, once the files change, is not trusted after a crash.
            await resume.SaveAsync(swarm, cancellationToken).ConfigureAwait(false);
            connections.Open(swarm, cancellationToken);
            webSeeds.Open(swarm, cancellationToken);
            trackers.Start();
            await tick.RunAsync(swarm, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
        {
            Fail(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug must not leave a torrent silently stalled: it stops, and says why.
            Fail($"internal error: {e}");
        }
    }

    private void Fail(string error)
    {
        // Pieces queued behind a write that failed (a full disk) fail the same way: the first failure is the one to tell.
        if (Interlocked.Exchange(ref _failing, 1) == 1)
        {
            return;
        }

        EngineLog.Failed(logger, torrent.Name, error);
        Error = error;
        State = TorrentState.Failed;
        _completed.TrySetException(new StorageException(error));
        _stop.Cancel();
        lock (gate)
        {
            _swarm?.Close();
        }
    }

    private TorrentSwarm StartSwarm(PieceSet have)
    {
        var settings = session.Options.Swarm with { ListenPort = session.Reachability.AnnouncePort, DhtPort = session.DhtContact is null ? 0 : session.Reachability.DhtPort };
        TorrentSwarm swarm;
        lock (gate)
        {
            _worker = new PieceWorker(torrent, storage, () => _swarm!, gate, Fail, OnDownloadComplete, settings.CheckBatchBytes);
            _swarm = swarm = new TorrentSwarm(torrent, have, settings, _worker, session.Options.Time, new Random(), session.Options.BufferPool);
            swarm.SetPiecePriorities(files.Pieces);
            State = swarm.IsComplete ? TorrentState.Seeding : TorrentState.Downloading;
        }

        if (swarm.IsComplete)
        {
            _completed.TrySetResult();
        }

        return swarm;
    }

    /// <summary>The user chose other files: the running swarm takes them at once, and the torrent is complete or downloading again.</summary>
    public void OnFilesChosen()
    {
        bool completedNow;
        lock (gate)
        {
            StatusBeforeRun = IdleStatus(torrent, files, PiecesBeforeRun);
            if (_swarm is not { IsClosed: false } swarm)
            {
                return;
            }

            bool wasComplete = swarm.IsComplete;
            swarm.SetPiecePriorities(files.Pieces);
            completedNow = !wasComplete && swarm.IsComplete;
            if (wasComplete && !swarm.IsComplete && State == TorrentState.Seeding)
            {
                State = TorrentState.Downloading;
            }
        }

        if (completedNow)
        {
            OnDownloadComplete();
        }
    }

    private void OnDownloadComplete()
    {
        EngineLog.Completed(logger, torrent.Name);
        State = TorrentState.Seeding;
        _ = resume.SaveAsync(_swarm, CancellationToken.None);
        trackers.OnDownloadCompleted();
        _completed.TrySetResult();
    }

    /// <summary>Ends the run: its tick, connections and piece workers, then saves resume data and says stopped to the trackers.</summary>
    private async Task StopRunAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        lock (gate)
        {
            _swarm?.Close();
        }

        await connections.WhenAllClosedAsync().ConfigureAwait(false);
        await webSeeds.WhenAllClosedAsync().ConfigureAwait(false);
        if (_worker is not null)
        {
            await _worker.DrainAsync().ConfigureAwait(false);
        }

        if (State != TorrentState.Failed)
        {
            await resume.SaveStoppedAsync(_swarm).ConfigureAwait(false);
        }

        await trackers.StopAsync().ConfigureAwait(false);
    }

    private static SwarmStatus IdleStatus(Torrent torrent, TorrentFileChoice files, PieceSet saved)
    {
        (long wanted, long verified) = files.WantedBytes(saved);
        return new(saved.Count, torrent.PieceCount, torrent.BytesIn(saved), torrent.AddressSpaceLength(), wanted, verified, 0, 0, 0, 0, 0, 0, [], new Dictionary<string, long>());
    }
}
