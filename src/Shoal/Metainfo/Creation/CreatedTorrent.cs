namespace Shoal.Metainfo.Creation;

/// <summary>A new .torrent file's bytes and the torrent they describe.</summary>
public sealed record CreatedTorrent(byte[] FileBytes, Torrent Torrent);
