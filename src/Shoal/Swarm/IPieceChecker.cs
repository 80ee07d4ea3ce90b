namespace Shoal.Swarm;

/// <summary>
/// Verifies a complete piece off the swarm's loop and, when it verifies, writes it to storage; then
/// reports back with <see cref="TorrentSwarm.OnPieceChecked"/>. The blocks stay the swarm's: they are
/// valid until that call and must not be kept after it.
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
