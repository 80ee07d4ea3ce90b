using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>
/// Saves and loads <see cref="ResumeData"/>, and tells whether the files on disk are still the ones it
/// describes. Loading never throws: resume data that cannot be used is simply not there.
/// </summary>
public static class ResumeDataFile
{
    // Far more than the bitfield of the largest torrent and a few dozen bytes per file need.
    private const long MaxFileLength = 256L * 1024 * 1024;

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> so that a crash leaves the old file or the new one.</summary>
    public static async Task SaveAsync(string path, ResumeData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        byte[] bytes = ResumeDataCodec.Encode(data);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot save resume data to '{path}': {e.Message}", e);
        }
    }

    /// <summary>The resume data saved at <paramref name="path"/> for <paramref name="torrent"/>, or null when it is missing, unreadable, malformed or for another torrent.</summary>
    public static ResumeData? TryLoad(string path, Torrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileLength)
            {
                return null;
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        return ResumeDataCodec.TryDecode(bytes, torrent);
    }

    /// <summary>Resume data for <paramref name="pieces"/>, with the content files' state on disk now.</summary>
    /// <param name="stillWriting">Whether the run may write more pieces after this record (see <see cref="ResumeData.StillWriting"/>).</param>
    /// <param name="partFile">The part file holding skipped files' bytes (<see cref="FileStorage.PartFilePath"/>), recorded as one more file when it exists.</param>
    public static ResumeData Capture(Torrent torrent, IReadOnlyList<string> filePaths, PieceSet pieces, bool stillWriting, string? partFile = null)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        return new ResumeData(torrent.InfoHashes.ForWire, pieces.Clone(), FileStates(torrent, filePaths, partFile), stillWriting);
    }

    /// <summary>
    /// Whether <paramref name="data"/> still describes the files: same torrent, and every content file's size
    /// and modification time as recorded (a missing file matches only a file recorded as missing).
    /// </summary>
    public static bool Matches(ResumeData data, Torrent torrent, IReadOnlyList<string> filePaths, string? partFile = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return IsFor(data, torrent) && FileStates(torrent, filePaths, partFile).AsSpan().SequenceEqual([.. data.Files]);
    }

    /// <summary>
    /// What <paramref name="data"/> vouches for now, or null when it cannot be trusted. A record after which
    /// nothing was written is trusted while it <see cref="Matches"/> the files. A record written while the
    /// run still wrote (the run then crashed) is trusted for its pieces while every file keeps its recorded
    /// size and no modification time went back; the pieces written since it must then be looked for.
    /// </summary>
    public static TrustedPieces? Trust(ResumeData data, Torrent torrent, IReadOnlyList<string> filePaths, string? partFile = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.StillWriting)
        {
            return Matches(data, torrent, filePaths, partFile) ? new TrustedPieces(data.Pieces, OthersMayBeOnDisk: false) : null;
        }

        if (!IsFor(data, torrent))
        {
            return null;
        }

        // Our own writes since the record move modification times forward, never back, and never change a
        // size (files are made at their final length before the first record of a run). A part file made
        // since the record holds none of its pieces' bytes.
        ResumeFileState[] now = FileStates(torrent, filePaths, partFile);
        if (now.Length < data.Files.Count)
        {
            return null;
        }

        for (int i = 0; i < data.Files.Count; i++)
        {
            ResumeFileState recorded = data.Files[i];
            if (now[i].Length != recorded.Length || now[i].LastWriteTimeUtc < recorded.LastWriteTimeUtc)
            {
                return null;
            }
        }

        return new TrustedPieces(data.Pieces, OthersMayBeOnDisk: true);
    }

    /// <summary>The same torrent, and one state per content file, then the part file's if it existed.</summary>
    private static bool IsFor(ResumeData data, Torrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return data.InfoHash.Equals(torrent.InfoHashes.ForWire) && data.Pieces.Length == torrent.PieceCount
            && data.Files.Count - torrent.ContentFiles.Count() is 0 or 1;
    }

    private static ResumeFileState[] FileStates(Torrent torrent, IReadOnlyList<string> filePaths, string? partFile)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(filePaths);
        if (filePaths.Count != torrent.Files.Count)
        {
            throw new ArgumentException($"{filePaths.Count} paths for a torrent of {torrent.Files.Count} files", nameof(filePaths));
        }

        var states = new List<ResumeFileState>(torrent.Files.Count);
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            if (!torrent.Files[i].IsPadding)
            {
                states.Add(ResumeFileState.Of(filePaths[i]));
            }
        }

        if (partFile is not null && ResumeFileState.Of(partFile) is { Exists: true } part)
        {
            states.Add(part);
        }

        return [.. states];
    }
}
