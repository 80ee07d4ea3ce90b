using Shoal.Metainfo;
using Shoal.Node.Storage;
using Shoal.Session;

namespace Shoal.Node.Torrents;

/// <summary>
/// One torrent of the node: what the store keeps of it, and its handle in the session once it has one (a
/// magnet link has none until its metadata arrives).
/// </summary>
public sealed class NodeTorrent
{
    internal NodeTorrent(StoredTorrent stored, InfoHashes hashes, string name, MagnetLink? magnet)
    {
        Stored = stored;
        Hashes = hashes;
        Name = name;
        Magnet = magnet;
        MagnetUri = (magnet ?? new MagnetLink { InfoHashes = hashes }).ToUri();
        Size = magnet?.ExactLength ?? 0;
    }

    public string Id => Stored.Id;

    public InfoHashes Hashes { get; }

    public string Name { get; private set; }

    /// <summary>The link the torrent was added by, while its metadata is not known; null for a .torrent.</summary>
    public MagnetLink? Magnet { get; }

    public TorrentHandle? Handle { get; private set; }

    /// <summary>The link to the torrent: the one it was added by until its metadata is known, then one made from it.</summary>
    public string MagnetUri { get; private set; }

    /// <summary>Bytes of content: the magnet link's <c>xl</c> until the metadata is known.</summary>
    public long Size { get; private set; }

    internal StoredTorrent Stored { get; set; }

    /// <summary>Stops the metadata fetch of a magnet link.</summary>
    internal CancellationTokenSource? Fetch { get; set; }

    /// <summary>The state the API shows: the engine's while the torrent has a handle, else what the store says.</summary>
    public NodeTorrentState State => Handle?.State switch
    {
        null => Stored.State is NodeTorrentState.Paused or NodeTorrentState.Error ? Stored.State : NodeTorrentState.Metadata,
        TorrentState.Checking => NodeTorrentState.Checking,
        TorrentState.Downloading => NodeTorrentState.Downloading,
        TorrentState.Seeding => NodeTorrentState.Seeding,
        TorrentState.Failed => NodeTorrentState.Error,
        TorrentState.Paused or TorrentState.Stopped => NodeTorrentState.Paused,
        _ => throw new InvalidOperationException($"unknown torrent state {Handle.State}"),
    };

    /// <summary>The torrent's own upload limit in bytes per second, 0 unlimited (the node's limit applies too).</summary>
    public long UploadLimit => Stored.UploadLimit;

    public long DownloadLimit => Stored.DownloadLimit;

    /// <summary>Whether <paramref name="id"/> (hex, any case) is this torrent's v1 or v2 info-hash.</summary>
    public bool Has(string id) =>
        string.Equals(Hashes.V1?.ToHex(), id, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Hashes.V2?.ToHex(), id, StringComparison.OrdinalIgnoreCase);

    internal void Attach(TorrentHandle handle)
    {
        Handle = handle;
        Name = handle.Name;
        MagnetUri = MagnetLink.FromTorrent(handle.Torrent).ToUri();
        Size = handle.Torrent.TotalSize;
    }

    /// <summary>The id of a torrent with these hashes: the v1 info-hash in hex, else the v2 one.</summary>
    internal static string IdOf(InfoHashes hashes) => (hashes.V1 ?? hashes.V2!).ToHex();
}
