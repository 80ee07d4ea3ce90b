namespace Shoal.Metainfo;

/// <summary>A parsed, validated torrent: the info dictionary plus the metainfo around it.</summary>
public sealed record Torrent
{
    public required string Name { get; init; }

    public required long PieceLength { get; init; }

    public required int PieceCount { get; init; }

    public required TorrentVersion Version { get; init; }

    public required InfoHashes InfoHashes { get; init; }

    /// <summary>The info dictionary exactly as received; both info-hashes are taken over these bytes.</summary>
    public required ReadOnlyMemory<byte> InfoBytes { get; init; }

    /// <summary>Every file in piece-address order, padding files included.</summary>
    public required IReadOnlyList<FileEntry> Files { get; init; }

    /// <summary>True when the content is a folder (v1 "files" list, or a v2 file tree with several entries).</summary>
    public required bool IsMultiFile { get; init; }

    /// <summary>BEP 27: peers come only from the torrent's trackers.</summary>
    public bool IsPrivate { get; init; }

    /// <summary>Concatenated 20-byte SHA-1 piece hashes (v1 and hybrid); empty for v2-only torrents.</summary>
    public ReadOnlyMemory<byte> PieceHashesV1 { get; init; }

    /// <summary>BEP 52 piece layers, keyed by the file's pieces root.</summary>
    public IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> PieceLayers { get; init; } =
        new Dictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>();

    /// <summary>BEP 12 tiers of tracker URLs (a lone "announce" URL is one tier).</summary>
    public IReadOnlyList<IReadOnlyList<string>> AnnounceTiers { get; init; } = [];

    /// <summary>BEP 19 web seed URLs.</summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    public string? Comment { get; init; }

    public string? CreatedBy { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>Files that hold content (padding files left out).</summary>
    public IEnumerable<FileEntry> ContentFiles => Files.Where(f => !f.IsPadding);

    /// <summary>Bytes of content, padding left out.</summary>
    public long TotalSize => ContentFiles.Sum(f => f.Length);

    /// <summary>Every tracker URL once, in tier order.</summary>
    public IReadOnlyList<string> Trackers => [.. AnnounceTiers.SelectMany(t => t).Distinct(StringComparer.Ordinal)];
}
