namespace Shoal.Node.Storage;

/// <summary>A node torrent's state as the API and the store name it.</summary>
public enum NodeTorrentState
{
    Downloading,
    Seeding,
    Paused,
    Error,
    Checking,
    Metadata,
}
