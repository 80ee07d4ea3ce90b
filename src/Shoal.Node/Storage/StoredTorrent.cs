namespace Shoal.Node.Storage;

/// <summary>One torrent as the node keeps it across restarts.</summary>
/// <param name="Id">The v1 info-hash in hex, else the v2 one.</param>
public sealed record StoredTorrent(
    string Id,
    TorrentSourceKind SourceKind,
    byte[] Source,
    string SavePath,
    NodeTorrentState State,
    string? Error,
    long UploadLimit,
    long DownloadLimit,
    DateTimeOffset AddedAt)
{
    /// <summary>Each file's <c>FilePriority</c> as a byte, indexed as the torrent's file list; null: every file wanted.</summary>
    public byte[]? FilePriorities { get; init; }
}
