using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// A torrent's resume data (<see cref="ResumeDataFile"/>: the verified pieces, with each file's size and
/// mtime) in the session's state folder: whether it can be trusted at start, and its saving, when a run
/// starts, every <see cref="SessionOptions.ResumeSaveInterval"/> while pieces arrive, on completion and on stop.
/// </summary>
internal sealed class ResumeKeeper(SessionOptions options, Torrent torrent, IReadOnlyList<string> paths, FileStorage storage, Lock gate) : IDisposable
{
    private readonly SemaphoreSlim _saving = new(1);
    private long _lastSave = options.Time.GetTimestamp();
    private int _savedPieceCount = -1;

    /// <summary>Where the resume data is; null when the session keeps none.</summary>
    public string? ResumePath => options.StateDirectory is { } folder
        ? Path.Combine(folder, $"{torrent.InfoHashes.ForWire.ToHex()}.resume")
        : null;

    public bool IsSaveDue => options.Time.GetElapsedTime(_lastSave) >= options.ResumeSaveInterval;

    /// <summary>The pieces saved resume data vouches for, if every file still has the size and mtime it had then.</summary>
    public PieceSet? LoadTrusted() =>
        ResumePath is { } path && ResumeDataFile.TryLoad(path, torrent) is { } resume && ResumeDataFile.Matches(resume, torrent, paths)
            ? resume.Pieces
            : null;

    /// <summary>Saves the swarm's verified pieces, unless they are those saved last.</summary>
    public async Task SaveAsync(TorrentSwarm? swarm, CancellationToken cancellationToken)
    {
        _lastSave = options.Time.GetTimestamp();
        if (ResumePath is not { } path || swarm is null)
        {
            return;
        }

        PieceSet pieces;
        lock (gate)
        {
            if (swarm.Have.Count == _savedPieceCount)
            {
                return;
            }

            pieces = swarm.Have.Clone();
        }

        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _savedPieceCount = pieces.Count;

            // The pieces the resume data vouches for must be on disk before it is: after a power cut, a
            // file's size and mtime can survive while its last writes did not.
            if (storage.Access == StorageAccess.ReadWrite)
            {
                storage.Flush();
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await ResumeDataFile.SaveAsync(path, ResumeDataFile.Capture(torrent, paths, pieces), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>Saves the swarm's verified pieces even if they are those saved last (the files may have changed since).</summary>
    public Task SaveEvenIfUnchangedAsync(TorrentSwarm? swarm)
    {
        _savedPieceCount = -1;
        return SaveAsync(swarm, CancellationToken.None);
    }

    public void Delete()
    {
        if (ResumePath is { } path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public void Dispose() => _saving.Dispose();
}
