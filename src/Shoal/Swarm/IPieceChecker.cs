namespace Shoal.Swarm;

/// <summary>
/// Writes a complete piece to storage and verifies it off the swarm's loop, reporting back with
/// <see cref="TorrentSwarm.OnPieceChecked"/>; a checker that writes before it verifies says so first with
/// <see cref="TorrentSwarm.OnPieceWritten"/> (nothing is claimed until verified: a piece written and not yet
/// verified is only found again, and hashed, at the next start after a crash). The blocks stay the swarm's:
/// they are valid until <see cref="TorrentSwarm.OnPieceChecked"/> and must not be kept after it.
/// </summary>
public interface IPieceChecker
{
    void CheckAndStore(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks);

    /// <summary>
    /// Reads a piece we have from storage and hashes its 16 KiB blocks (BEP 52 leaves) off the swarm's loop, then
    /// reports the concatenated hashes with <see cref="TorrentSwarm.OnBlockHashes"/>, or null when it cannot be read.
    /// </summary>
    void HashBlocks(int piece);
}
