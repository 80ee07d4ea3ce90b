namespace Shoal.Metainfo;

public enum TorrentVersion
{
    /// <summary>BEP 3: SHA-1 piece hashes.</summary>
    V1,

    /// <summary>BEP 52: per-file SHA-256 Merkle trees.</summary>
    V2,

    /// <summary>Both, over the same piece-aligned data (BEP 47 padding files in the v1 part).</summary>
    Hybrid,
}
