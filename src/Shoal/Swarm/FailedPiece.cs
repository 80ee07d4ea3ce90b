namespace Shoal.Swarm;

/// <summary>What <see cref="SmartBan{TPeer}"/> remembers of a piece that failed its hash check.</summary>
internal sealed class FailedPiece<TPeer>(IEqualityComparer<TPeer> comparer)
    where TPeer : notnull
{
    /// <summary>Each distinct version of a block received, and who sent it, over every failure of the piece.</summary>
    public List<(int Block, TPeer Sender, BlockDigest Digest)> Blocks { get; } = [];

    /// <summary>The strikes each sender got for this piece, taken back if the peer turns out honest.</summary>
    public Dictionary<TPeer, int> Strikes { get; } = new(comparer);

    /// <summary>The piece's place in the eviction order.</summary>
    public LinkedListNode<int>? Node { get; set; }

    public void Record(int block, TPeer sender, BlockDigest digest)
    {
        foreach ((int Block, TPeer Sender, BlockDigest Digest) known in Blocks)
        {
            if (known.Block == block && known.Digest == digest && Strikes.Comparer.Equals(known.Sender, sender))
            {
                return;
            }
        }

        Blocks.Add((block, sender, digest));
    }
}
