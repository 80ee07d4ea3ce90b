namespace Shoal.TrackerApi.Index;

/// <summary>
/// One torrent in a Shoal tracker's file index, as <c>GET /api/files</c> and <c>POST /api/torrents</c>
/// give it in JSON (camelCase). Info-hashes are lowercase hex; a v1-only torrent has no
/// <see cref="InfoHashV2"/> and a v2-only one no <see cref="InfoHashV1"/>.
/// </summary>
public sealed record IndexedFile
{
    public required string Name { get; init; }

    /// <summary>Total bytes of the torrent's files (padding excluded).</summary>
    public required long Size { get; init; }

    public string? InfoHashV1 { get; init; }

    public string? InfoHashV2 { get; init; }

    /// <summary>A magnet link with the info-hashes, the name, the size and the tracker's announce URL.</summary>
    public required string Magnet { get; init; }

    public int Seeders { get; init; }

    public int Leechers { get; init; }

    /// <summary>Downloads that finished (announces with <c>event=completed</c>).</summary>
    public long Completed { get; init; }

    public DateTimeOffset Registered { get; init; }
}
