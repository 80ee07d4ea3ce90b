using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// A v2 piece that failed its check, waiting for its leaf hashes (BEP 52) to tell which block was bad: the hash of
/// each block we got and who sent it, and the peer asked for the leaves.
/// </summary>
internal sealed class SuspectPiece(int piece, HashRequest request, byte[] pieceHash, (PeerKey Sender, byte[] Leaf)[] blocks)
{
    public int Piece { get; } = piece;

    /// <summary>Leaves of the whole piece, proven by hashing up to the piece's hash.</summary>
    public HashRequest Request { get; } = request;

    /// <summary>The piece's hash in the piece layer (or the file's root, for a file of one piece).</summary>
    public byte[] PieceHash { get; } = pieceHash;

    public (PeerKey Sender, byte[] Leaf)[] Blocks { get; } = blocks;

    public SwarmPeer? AskedOf { get; set; }

    public TimeSpan AskedAt { get; set; }

    /// <summary>Peers asked already: each is asked once.</summary>
    public HashSet<int> Asked { get; } = [];
}
