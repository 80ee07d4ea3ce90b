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

internal sealed partial class TorrentRuntime
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    public event Action<TorrentStatus>? Ticked;

    private async Task RunAsync(PieceSet? have, CancellationToken cancellationToken)
    {
        try
        {
            have ??= await InitialPiecesAsync(cancellationToken).ConfigureAwait(false);
            if (_options.ContentPath is { } content && !have.IsComplete)
            {
                throw new StorageException(
                    $"'{content}' does not match the torrent: {Torrent.PieceCount - have.Count} of {Torrent.PieceCount} pieces differ");
            }

            if (_storage.Access == StorageAccess.ReadWrite)
            {
                _storage.Allocate();
            }

            StartSwarm(have);
            DialPeers();
            Trackers.Start();
            await SaveResumeAsync(cancellationToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(TickInterval, _session.Options.Time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
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
        EngineLog.Failed(_logger, Torrent.Name, error);
        Error = error;
        State = TorrentState.Failed;
        _completed.TrySetException(new StorageException(error));
        _stop.Cancel();
        lock (_gate)
        {
            _swarm?.Close();
        }
    }

    /// <summary>Trusted resume data, or a check of the files when there is any doubt.</summary>
    private async Task<PieceSet> InitialPiecesAsync(CancellationToken cancellationToken)
    {
        State = TorrentState.Checking;
        var have = new PieceSet(Torrent.PieceCount);
        if (_options.ContentIsVerified)
        {
            have.SetAll();
            return have;
        }

        if (!_options.Recheck && ResumePath is { } resumePath && ResumeDataFile.TryLoad(resumePath, Torrent) is { } resume
            && ResumeDataFile.Matches(resume, Torrent, _paths))
        {
            EngineLog.PiecesFound(_logger, Torrent.Name, resume.Pieces.Count, Torrent.PieceCount, "trusting resume data");
            return resume.Pieces;
        }

        if (!_paths.Zip(Torrent.Files).Any(pair => !pair.Second.IsPadding && File.Exists(pair.First)))
        {
            return have;
        }

        PieceSet found = await StorageChecker.CheckAsync(Torrent, _storage, _session.Options.BufferPool, _ => Interlocked.Increment(ref _checked), cancellationToken).ConfigureAwait(false);
        EngineLog.PiecesFound(_logger, Torrent.Name, found.Count, Torrent.PieceCount, "a full check");
        return found;
    }

    private void StartSwarm(PieceSet have)
    {
        var settings = _session.Options.Swarm with { ListenPort = _session.ListenEndPoint.Port };
        lock (_gate)
        {
            _worker = new PieceWorker(Torrent, _storage, () => _swarm!, _gate, Fail, OnDownloadComplete);
            _swarm = new TorrentSwarm(Torrent, have, settings, _worker, _session.Options.Time, new Random(), _session.Options.BufferPool);
            State = have.IsComplete ? TorrentState.Seeding : TorrentState.Downloading;
        }

        if (have.IsComplete)
        {
            _completed.TrySetResult();
        }
    }

    private void OnDownloadComplete()
    {
        EngineLog.Completed(_logger, Torrent.Name);
        State = TorrentState.Seeding;
        _ = SaveResumeAsync(CancellationToken.None);
        Trackers.OnDownloadCompleted();
        _completed.TrySetResult();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        TorrentSwarm swarm = _swarm!;
        IReadOnlyList<IPEndPoint> discovered;
        lock (_gate)
        {
            swarm.Tick();
            discovered = swarm.TakeDiscoveredPeers();
        }

        AddPeers(discovered);
        Trackers.Tick();
        if (Now - _lastResumeSave >= _session.Options.ResumeSaveInterval)
        {
            await SaveResumeAsync(cancellationToken).ConfigureAwait(false);
        }

        Ticked?.Invoke(GetStatus());
    }

    private void DialPeers()
    {
        IReadOnlyList<IPEndPoint> due;
        lock (_gate)
        {
            int room = _session.Options.MaxConnectionsPerTorrent - _reservedConnections;
            if (room <= 0 || _swarm!.IsComplete && _known.Count == 0)
            {
                return;
            }

            due = _known.TakeDue(Now, room);
        }

        foreach (IPEndPoint endPoint in due)
        {
            _ = DialAsync(endPoint);
        }
    }

    private async Task DialAsync(IPEndPoint endPoint)
    {
        bool failed = true;
        if (!TryReserveConnection())
        {
            lock (_gate)
            {
                _known.Released(endPoint, Now, failed: false);
            }

            return;
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(DialTimeout);
                await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
                await PeerHandshaker.WriteAsync(socket, OurHandshake(), timeout.Token).ConfigureAwait(false);
                Handshake remote = await PeerHandshaker.ReadAsync(socket, timeout.Token).ConfigureAwait(false);
                if (!remote.InfoHash.Equals(Torrent.InfoHashes.ForWire))
                {
                    throw new PeerProtocolException("the peer answered for another torrent");
                }

                if (remote.PeerId.Span.SequenceEqual(_session.PeerId.Span))
                {
                    lock (_gate)
                    {
                        _known.Forget(endPoint);
                    }

                    return;
                }

                failed = false;
                lock (_gate)
                {
                    _known.Connected(endPoint);
                }

                await RunConnectionAsync(socket, endPoint, remote, "outgoing").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or PeerProtocolException or ObjectDisposedException)
        {
            EngineLog.DialFailed(_logger, Torrent.Name, endPoint, e.Message);
        }
        finally
        {
            socket.Dispose();
            ReleaseConnection();
            lock (_gate)
            {
                _known.Released(endPoint, Now, failed);
            }
        }
    }

    private async Task SaveResumeAsync(CancellationToken cancellationToken)
    {
        _lastResumeSave = Now;
        if (ResumePath is not { } path || _swarm is null)
        {
            return;
        }

        PieceSet pieces;
        lock (_gate)
        {
            if (_swarm.Have.Count == _savedPieceCount)
            {
                return;
            }

            pieces = _swarm.Have.Clone();
        }

        await _resumeSaving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _savedPieceCount = pieces.Count;

            // The pieces the resume data vouches for must be on disk before it is: after a power cut, a
            // file's size and mtime can survive while its last writes did not.
            if (_storage.Access == StorageAccess.ReadWrite)
            {
                _storage.Flush();
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(Torrent, _paths, pieces), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _resumeSaving.Release();
        }
    }

    private async Task StopSwarmAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        Task[] connections;
        lock (_gate)
        {
            _swarm?.Close();
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
        if (_worker is not null)
        {
            await _worker.DrainAsync().ConfigureAwait(false);
        }

        if (State != TorrentState.Failed)
        {
            _savedPieceCount = -1;
            await SaveResumeAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Trackers.StopAsync().ConfigureAwait(false);
    }
}
