namespace Shoal.Swarm;

/// <summary>One block of a piece: what a request, cancel, reject or piece message names.</summary>
public readonly record struct BlockRef(int Piece, int Begin, int Length)
{
    public int BlockIndex => Begin / Metainfo.PieceGeometry.BlockSize;
}
