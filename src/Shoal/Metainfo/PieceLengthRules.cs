using System.Numerics;

namespace Shoal.Metainfo;

/// <summary>Which piece lengths a torrent may have: one rule for reading torrents and for making them.</summary>
public static class PieceLengthRules
{
    /// <summary>A v2 piece is at least one 16 KiB Merkle leaf (BEP 52).</summary>
    public const long Min = MerkleTree.BlockSize;

    /// <summary>BEP 52: v2 and hybrid pieces are powers of two of at least 16 KiB.</summary>
    public static bool IsValidForV2(long pieceLength) => pieceLength >= Min && BitOperations.IsPow2(pieceLength);

    /// <summary>v1 pieces Shoal makes are whole 16 KiB blocks, as libtorrent requires.</summary>
    public static bool IsValidForNewV1(long pieceLength) => pieceLength >= Min && pieceLength % Min == 0;
}
