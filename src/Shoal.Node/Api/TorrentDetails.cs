namespace Shoal.Node.Api;

/// <summary><c>GET /api/v1/torrents/{id}</c>: the torrent as the list shows it, with its files, peers, trackers and pieces.</summary>
public sealed record TorrentDetails : TorrentView
{
    public TorrentDetails(TorrentView torrent)
        : base(torrent)
    {
    }

    public required IReadOnlyList<FileView> Files { get; init; }

    public required IReadOnlyList<ConnectionView> Connections { get; init; }

    public required IReadOnlyList<TrackerView> Trackers { get; init; }

    /// <summary>The torrent's own rate limits in bytes per second, 0 unlimited; <c>PATCH</c> changes them.</summary>
    public required long UploadLimit { get; init; }

    public required long DownloadLimit { get; init; }

    public required int PieceCount { get; init; }

    /// <summary>The verified pieces as a BEP 3 bitfield (first piece in the high bit of the first byte), in base64.</summary>
    public required string Pieces { get; init; }
}

/// <summary>The body of <c>PATCH /api/v1/torrents/{id}</c>: the limits given change.</summary>
public sealed record TorrentLimitsPatch(long? UploadLimit, long? DownloadLimit);

/// <summary>
/// One file, its path as <c>shoal info</c> shows it (the torrent's name first for a folder). <c>index</c> is its
/// place in the torrent's file list, padding files counted (as BEP 53 <c>so=</c> and libtorrent number files);
/// <c>priority</c> is <c>skip</c>, <c>normal</c> or <c>high</c>.
/// </summary>
public sealed record FileView(int Index, string Path, long Length, double Progress, string Priority);

/// <summary>The body of <c>PATCH /api/v1/torrents/{id}/files</c>: the files listed get the priority given, the others keep theirs.</summary>
public sealed record FilePrioritiesPatch(IReadOnlyList<FilePriorityChange> Files);

/// <summary>One file by its <c>index</c> (as <see cref="FileView"/> gives it) and its new priority: <c>skip</c>, <c>normal</c> or <c>high</c>.</summary>
public sealed record FilePriorityChange(int Index, string Priority);

/// <summary>One connected peer. <c>flags</c> as other clients show them: D/d we download (or would, but are choked), U/u we upload (or would), S snubbed.</summary>
public sealed record ConnectionView(string Address, string? Client, string Transport, bool Encrypted, string Flags, long DownRate, long UpRate, double Progress);

/// <summary>One tracker: <c>status</c> is <c>working</c>, <c>error</c> or <c>not contacted</c>, and <c>message</c> says why it failed.</summary>
public sealed record TrackerView(string Url, int Tier, string Status, string? Message, int? Seeders, int? Leechers, DateTimeOffset? NextAnnounce);
