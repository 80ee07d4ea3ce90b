namespace Shoal.Metainfo.Creation;

public sealed record TorrentCreationOptions
{
    public TorrentVersion Version { get; init; } = TorrentVersion.Hybrid;

    /// <summary>Bytes per piece; null chooses one from the content size (<see cref="PieceLengthChooser"/>).</summary>
    public long? PieceLength { get; init; }

    /// <summary>Tracker URLs, each in a tier of its own (BEP 12), the first also as 'announce'.</summary>
    public IReadOnlyList<string> Trackers { get; init; } = [];

    /// <summary>BEP 19 web seed URLs.</summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>BEP 27: peers only from the torrent's trackers.</summary>
    public bool IsPrivate { get; init; }

    public string? Comment { get; init; }

    public string? CreatedBy { get; init; } = ShoalVersion.CreatedBy;

    /// <summary>The 'creation date' to write; null leaves it out.</summary>
    public DateTimeOffset? CreationDate { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>How many pieces are hashed at once; defaults to the number of cores.</summary>
    public int HashingThreads { get; init; } = Environment.ProcessorCount;
}
