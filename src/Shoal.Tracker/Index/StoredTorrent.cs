namespace Shoal.Tracker.Index;

/// <summary>A torrent registered in the file index, as the store keeps it: its listing and the .torrent file as registered.</summary>
public sealed record StoredTorrent(
    string Name,
    long Size,
    byte[]? InfoHashV1,
    byte[]? InfoHashV2,
    byte[] TorrentBytes,
    DateTimeOffset Registered)
    : TorrentListing(Name, Size, InfoHashV1, InfoHashV2, Registered);
