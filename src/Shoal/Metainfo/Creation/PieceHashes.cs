namespace Shoal.Metainfo.Creation;

/// <summary>The hashes of new content: v1 SHA-1 per piece, and v2 per-file piece-layer hashes (BEP 52).</summary>
public sealed record PieceHashes(byte[] V1, byte[]?[] V2PieceLayers);
