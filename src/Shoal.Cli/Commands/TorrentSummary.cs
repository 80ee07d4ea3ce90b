using Shoal.Metainfo;

namespace Shoal.Cli.Commands;

/// <summary>What `shoal info --json` prints: a stable contract for scripts.</summary>
public sealed record TorrentSummary
{
    public string? Name { get; init; }

    public string? Version { get; init; }

    public long? TotalSize { get; init; }

    public long? PieceLength { get; init; }

    public int? PieceCount { get; init; }

    public string? InfoHashV1 { get; init; }

    public string? InfoHashV2 { get; init; }

    public bool Private { get; init; }

    public IReadOnlyList<string> Trackers { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<string>> TrackerTiers { get; init; } = [];

    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    public IReadOnlyList<FileSummary> Files { get; init; } = [];

    public string? Comment { get; init; }

    public string? CreatedBy { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public required string Magnet { get; init; }

    public static TorrentSummary From(Torrent torrent) => new()
    {
        Name = torrent.Name,
        Version = VersionFlags.Name(torrent.Version),
        TotalSize = torrent.TotalSize,
        PieceLength = torrent.PieceLength,
        PieceCount = torrent.PieceCount,
        InfoHashV1 = torrent.InfoHashes.V1?.ToHex(),
        InfoHashV2 = torrent.InfoHashes.V2?.ToHex(),
        Private = torrent.IsPrivate,
        Trackers = torrent.Trackers,
        TrackerTiers = torrent.AnnounceTiers,
        WebSeeds = torrent.WebSeeds,
        Files = [.. torrent.Files.Index().Where(f => !f.Item.IsPadding).Select(f => new FileSummary(f.Index, torrent.IsMultiFile ? $"{torrent.Name}/{f.Item.DisplayPath}" : f.Item.DisplayPath, f.Item.Length))],
        Comment = torrent.Comment,
        CreatedBy = torrent.CreatedBy,
        CreationDate = torrent.CreationDate,
        Magnet = MagnetLink.FromTorrent(torrent).ToUri(),
    };

    public static TorrentSummary From(MagnetLink magnet) => new()
    {
        Name = magnet.DisplayName,
        TotalSize = magnet.ExactLength,
        InfoHashV1 = magnet.InfoHashes.V1?.ToHex(),
        InfoHashV2 = magnet.InfoHashes.V2?.ToHex(),
        Trackers = magnet.Trackers,
        TrackerTiers = [.. magnet.Trackers.Select(t => (IReadOnlyList<string>)[t])],
        WebSeeds = magnet.WebSeeds,
        Magnet = magnet.ToUri(),
    };

    /// <param name="Index">The file's place in the torrent's file list, padding files counted: the number a magnet's <c>so=</c> (BEP 53) uses.</param>
    public sealed record FileSummary(int Index, string Path, long Length);
}
