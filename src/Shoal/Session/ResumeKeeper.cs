using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// A torrent's resume data (<see cref="ResumeDataFile"/>: the verified pieces, with each file's size and
/// mtime) in the session's state folder: what it vouches for at start, and its saving, when a run starts
/// (before any write), every <see cref="SessionOptions.ResumeSaveInterval"/> while pieces arrive, on
/// completion and on stop. Each record says whether the run could still write after it, so a run killed
/// between records loses at most the hashing of the pieces written since the last one.
/// </summary>
internal sealed class ResumeKeeper(SessionOptions options, Torrent torrent, IReadOnlyList<string> paths, FileStorage storage, Lock gate) : IDisposable
{
    private readonly SemaphoreSlim _saving = new(1);
    private long _lastSave = options.Time.GetTimestamp();
    private (int Count, bool StillWriting)? _saved;

    /// <summary>Where the resume data is; null when the session keeps none.</summary>
    public string? ResumePath => options.StateDirectory is { } folder
        ? Path.Combine(folder, $"{torrent.InfoHashes.ForWire.ToHex()}.resume")
        : null;

    public bool IsSaveDue => options.Time.GetElapsedTime(_lastSave) >= options.ResumeSaveInterval;

    /// <summary>What saved resume data vouches for, if the files are still as it expects (<see cref="ResumeDataFile.Trust"/>).</summary>
    public TrustedPieces? LoadTrusted() =>
        ResumePath is { } path && ResumeDataFile.TryLoad(path, torrent) is { } resume
            ? ResumeDataFile.Trust(resume, torrent, paths, storage.PartFilePath)
            : null;

    /// <summary>
    /// Records the swarm's verified pieces during a run, unless the last record says the same. Once every
    /// piece is there nothing more is written, so the record says the files are settled.
    /// </summary>
    public Task SaveAsync(TorrentSwarm? swarm, CancellationToken cancellationToken) => SaveAsync(swarm, stopped: false, cancellationToken);

    /// <summary>Records the pieces of a run that ended (nothing in flight, nothing more written), even if they are those saved last: the files may have changed since.</summary>
    public Task SaveStoppedAsync(TorrentSwarm? swarm) => SaveAsync(swarm, stopped: true, CancellationToken.None);

    public void Delete()
    {
        if (ResumePath is { } path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public void Dispose() => _saving.Dispose();

    private async Task SaveAsync(TorrentSwarm? swarm, bool stopped, CancellationToken cancellationToken)
    {
        _lastSave = options.Time.GetTimestamp();
        if (ResumePath is not { } path || swarm is null)
        {
            return;
        }

        // Saves queue up and each takes its pieces once its turn comes, so a later record never holds fewer.
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PieceSet pieces;
            lock (gate)
            {
                pieces = swarm.Have.Clone();
            }

            bool stillWriting = !stopped && !pieces.IsComplete;
            if (!stopped && _saved == (pieces.Count, stillWriting))
            {
                return;
            }

            // The pieces the resume data vouches for must be on disk before it is: after a power cut, a
            // file's size and mtime can survive while its last writes did not.
            if (storage.Access == StorageAccess.ReadWrite)
            {
                storage.Flush();
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(torrent, paths, pieces, stillWriting, storage.PartFilePath), cancellationToken).ConfigureAwait(false);
            _saved = (pieces.Count, stillWriting);
        }
        finally
        {
            _saving.Release();
        }
    }
}
