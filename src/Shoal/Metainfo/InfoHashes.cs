namespace Shoal.Metainfo;

/// <summary>The info-hashes a torrent is known by: v1, v2, or both for a hybrid torrent.</summary>
public sealed record InfoHashes
{
    public InfoHashes(InfoHash? v1, InfoHash? v2)
    {
        if (v1 is null && v2 is null)
        {
            throw new ArgumentException("a torrent needs a v1 or a v2 info-hash");
        }

        if (v1 is { IsV2: true } || v2 is { IsV2: false })
        {
            throw new ArgumentException("v1 info-hashes are 20 bytes and v2 info-hashes 32 bytes");
        }

        V1 = v1;
        V2 = v2;
    }

    public InfoHash? V1 { get; }

    public InfoHash? V2 { get; }

    /// <summary>The 20-byte hash used on the wire and at trackers: v1 when present, else the truncated v2.</summary>
    public InfoHash ForWire => V1 ?? V2!.Truncated;

    /// <summary>Every 20-byte hash peers may know the torrent by: for a hybrid, the v1 and the truncated v2 hash (BEP 52).</summary>
    public IReadOnlyList<InfoHash> WireHashes => V1 is not null && V2 is not null ? [V1, V2.Truncated] : [ForWire];
}
