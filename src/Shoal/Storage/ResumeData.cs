using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>
/// What a download had on disk at one moment: the verified pieces, and the state of each content file then,
/// so that on restart the pieces are trusted only while the files are as expected.
/// </summary>
/// <param name="InfoHash">The torrent's <see cref="InfoHashes.ForWire"/> hash.</param>
/// <param name="Pieces">The pieces verified and written (and flushed to disk before this was recorded).</param>
/// <param name="Files">One entry per content file (padding left out), in torrent order, then the part file's when the download has one.</param>
/// <param name="StillWriting">
/// Recorded during a run that could still write pieces: after a crash, pieces not in <paramref name="Pieces"/>
/// may be on disk too, and the files' modification times have moved on. False for a record after which
/// nothing was written (a clean stop or pause, a complete torrent): any change to the files is someone else's.
/// </param>
public sealed record ResumeData(InfoHash InfoHash, PieceSet Pieces, IReadOnlyList<ResumeFileState> Files, bool StillWriting);

/// <summary>A content file's size and modification time on disk, or <see cref="Missing"/>.</summary>
public readonly record struct ResumeFileState(long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>A file that was not on disk.</summary>
    public static ResumeFileState Missing { get; } = new(-1, default);

    public bool Exists => Length >= 0;

    /// <summary>The state of the file at <paramref name="path"/> now.</summary>
    public static ResumeFileState Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new ResumeFileState(info.Length, info.LastWriteTimeUtc) : Missing;
    }
}
