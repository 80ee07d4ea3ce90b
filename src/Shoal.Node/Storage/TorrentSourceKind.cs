namespace Shoal.Node.Storage;

/// <summary>What a stored torrent's source bytes are.</summary>
public enum TorrentSourceKind
{
    /// <summary>A whole .torrent file.</summary>
    TorrentFile,

    /// <summary>A magnet link's text (UTF-8), its metadata not fetched yet.</summary>
    Magnet,

    /// <summary>A magnet link's fetched metadata: its trackers and info dictionary as received.</summary>
    Metadata,
}
