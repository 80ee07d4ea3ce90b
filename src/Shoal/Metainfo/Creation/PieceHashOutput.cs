namespace Shoal.Metainfo.Creation;

/// <summary>Where the hashers put their results: v1 SHA-1 per piece, v2 piece-layer hashes per file (BEP 52).</summary>
internal sealed class PieceHashOutput
{
    public const int Sha1Length = 20;

    public PieceHashOutput(PieceLayout layout, TorrentVersion version)
    {
        V1 = version.HasV1() ? new byte[layout.PieceCount * Sha1Length] : null;
        V2Layers = new byte[]?[layout.FileCount];
        HasV2 = version.HasV2();
        if (HasV2)
        {
            foreach (PieceLayout.Segment segment in layout.Segments.Where(s => s is { IsPadding: false, Length: > 0 }))
            {
                long pieces = (segment.Length + layout.PieceLength - 1) / layout.PieceLength;
                V2Layers[segment.FileIndex] = new byte[pieces * MerkleTree.HashSize];
            }
        }
    }

    public byte[]? V1 { get; }

    public byte[]?[] V2Layers { get; }

    public bool HasV2 { get; }

    public Span<byte> V1Slot(int piece) => V1.AsSpan(piece * Sha1Length, Sha1Length);

    /// <summary>The piece-layer slot of the piece at <paramref name="fileOffset"/> in file <paramref name="fileIndex"/>, or empty for v1.</summary>
    public Span<byte> V2Slot(int fileIndex, long fileOffset, long pieceLength) =>
        V2Layers[fileIndex] is { } layer ? layer.AsSpan((int)(fileOffset / pieceLength) * MerkleTree.HashSize, MerkleTree.HashSize) : [];

    public PieceHashes ToPieceHashes() => new(V1 ?? [], V2Layers);
}
