using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>One hash request's worth of a file's piece layer (BEP 52: at most 512 hashes), and who it was asked of.</summary>
internal sealed class PieceLayerChunk(ReadOnlyMemory<byte> piecesRoot, int rootLayer, int pieceCount, HashRequest request)
{
    public ReadOnlyMemory<byte> PiecesRoot { get; } = piecesRoot;

    /// <summary>The layer of the file's root: the proof must reach it.</summary>
    public int RootLayer { get; } = rootLayer;

    /// <summary>The file's pieces: hashes past them are pad hashes, not kept.</summary>
    public int PieceCount { get; } = pieceCount;

    public HashRequest Request { get; } = request;

    public PieceLayerSource? AskedOf { get; set; }

    public bool IsDone { get; set; }
}
