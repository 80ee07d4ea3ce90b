using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Index;

/// <summary>What a listing shows of a stored torrent: kept in columns, so listings never read the .torrent itself.</summary>
/// <param name="Name">The torrent's name.</param>
/// <param name="Size">Bytes of content, padding excluded.</param>
/// <param name="InfoHashV1">The v1 info-hash (20 bytes), or null for a v2-only torrent.</param>
/// <param name="InfoHashV2">The v2 info-hash (32 bytes), or null for a v1-only torrent.</param>
/// <param name="Registered">When it was first registered.</param>
public record TorrentListing(
    string Name,
    long Size,
    byte[]? InfoHashV1,
    byte[]? InfoHashV2,
    DateTimeOffset Registered)
{
    /// <summary>The swarms clients announce it in: the v1 hash and the truncated v2 hash (BEP 52). Worked out once: listings read it per file.</summary>
    public IReadOnlyList<InfoHashKey> SwarmKeys { get; } =
        [.. new[] { InfoHashV1, InfoHashV2 }.OfType<byte[]>().Select(hash => InfoHashKey.Read(hash))];
}
