using System.Net;
using Shoal.Metainfo;

namespace Shoal.Session;

/// <summary>Where a torrent's files are and how to start it.</summary>
public sealed record AddTorrentOptions
{
    /// <summary>Download folder: the torrent's files go under it (a folder named after the torrent for multi-file torrents).</summary>
    public string? SavePath { get; init; }

    /// <summary>
    /// Seed files that already exist, read-only: the file itself for a single-file torrent, the folder
    /// holding the files for a multi-file one. Every piece must verify.
    /// </summary>
    public string? ContentPath { get; init; }

    /// <summary>The content was just hashed into this torrent: skip checking it again.</summary>
    public bool ContentIsVerified { get; init; }

    /// <summary>Start paused: nothing is checked or announced until <see cref="TorrentHandle.Resume"/>.</summary>
    public bool Paused { get; init; }

    /// <summary>Check every piece even when resume data is trusted.</summary>
    public bool Recheck { get; init; }

    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Tracker URLs announced to besides the torrent's own, each its own tier.</summary>
    public IReadOnlyList<string> Trackers { get; init; } = [];

    /// <summary>
    /// Where an announce to each tracker URL (the torrent's and <see cref="Trackers"/>) really goes, e.g. a
    /// logged-in user's passkey URL (<c>PasskeyAnnounceUrl.Rewrite</c>), so that a .torrent never has to
    /// carry it. Scrapes follow the rewritten URL. <see langword="null"/>: as written.
    /// </summary>
    public Func<Uri, Uri>? AnnounceUrlRewrite { get; init; }

    /// <summary>Bytes per second for this torrent; 0 is unlimited.</summary>
    public long UploadLimit { get; init; }

    public long DownloadLimit { get; init; }

    /// <summary>
    /// Each file's priority, decided once the file list is known (at once for a .torrent, after the metadata
    /// for a magnet): one per entry of <see cref="Torrent.Files"/>, padding included. Null: a magnet's BEP 53
    /// <c>so=</c> if it has one, else every file.
    /// </summary>
    public Func<Torrent, IReadOnlyList<FilePriority>>? ChooseFiles { get; init; }
}
