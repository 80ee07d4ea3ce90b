using Shoal.Metainfo;

namespace Shoal.Tracker.Index;

/// <summary>Turns a registered .torrent into what the index stores, and names into what search compares.</summary>
public static class StoredTorrents
{
    /// <summary>Parses and checks the .torrent (any error is a <see cref="MetainfoException"/> or another <see cref="FormatException"/>).</summary>
    public static StoredTorrent FromTorrentFile(byte[] torrentBytes, DateTimeOffset now) => FromTorrentFile(torrentBytes, now, out _);

    /// <summary>As <see cref="FromTorrentFile(byte[], DateTimeOffset)"/>, telling whether the torrent is private (BEP 27).</summary>
    public static StoredTorrent FromTorrentFile(byte[] torrentBytes, DateTimeOffset now, out bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(torrentBytes);
        Torrent torrent = TorrentParser.Parse(torrentBytes);
        isPrivate = torrent.IsPrivate;
        return new StoredTorrent(
            torrent.Name,
            torrent.TotalSize,
            torrent.InfoHashes.V1?.Span.ToArray(),
            torrent.InfoHashes.V2?.Span.ToArray(),
            torrentBytes,
            now);
    }

    /// <summary>The form names are searched in: case-folded, so a search ignores case in any script.</summary>
    public static string Fold(string name) => name.ToUpperInvariant().ToLowerInvariant();
}
