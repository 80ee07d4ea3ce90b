namespace Shoal.Session;

public enum TorrentState
{
    Checking,
    Downloading,
    Seeding,
    Paused,
    Stopped,
    Failed,
}
