using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>
/// What a download had when it stopped: the verified pieces, and the state of each content file at that
/// moment, so that on restart the pieces are trusted only while the files are unchanged.
/// </summary>
/// <param name="InfoHash">The torrent's <see cref="InfoHashes.ForWire"/> hash.</param>
/// <param name="Pieces">The pieces verified and written.</param>
/// <param name="Files">One entry per content file (padding left out), in torrent order.</param>
public sealed record ResumeData(InfoHash InfoHash, PieceSet Pieces, IReadOnlyList<ResumeFileState> Files);

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
