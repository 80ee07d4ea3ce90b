namespace Shoal.Storage;

/// <summary>What checking a piece's bytes found.</summary>
public enum PieceVerdict
{
    Passed,
    Failed,

    /// <summary>A hybrid torrent's SHA-1 and BEP 52 hashes disagree on the piece: its two halves describe different data.</summary>
    HalvesDisagree,
}
