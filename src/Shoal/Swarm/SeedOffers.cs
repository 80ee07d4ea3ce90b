using Shoal.Primitives;

namespace Shoal.Swarm;

/// <summary>Initial seeding (BEP 16): what we have shown one peer, and the offers it has neither asked for nor announced, oldest first.</summary>
internal sealed class SeedOffers(int pieceCount)
{
    private readonly List<(int Piece, TimeSpan OfferedAt)> _pending = [];
    private readonly Dictionary<int, int> _queuedBlocks = [];

    /// <summary>Every piece we told the peer we have; it may ask for these and is served.</summary>
    public PieceSet Shown { get; } = new(pieceCount);

    public IReadOnlyList<(int Piece, TimeSpan OfferedAt)> Pending => _pending;

    public long PendingBytes { get; private set; }

    public void Add(int piece, int size, TimeSpan now)
    {
        _pending.Add((piece, now));
        PendingBytes += size;
    }

    /// <summary>Drops a pending offer; false when the piece was not one.</summary>
    public bool Remove(int piece, int size)
    {
        int index = _pending.FindIndex(offer => offer.Piece == piece);
        if (index < 0)
        {
            return false;
        }

        _pending.RemoveAt(index);
        PendingBytes -= size;
        return true;
    }

    /// <summary>Counts a block of the piece queued to the peer.</summary>
    public void BlockQueued(int piece) => _queuedBlocks[piece] = _queuedBlocks.GetValueOrDefault(piece) + 1;

    /// <summary>Uncounts a queued block taken back before it went out; true when no block of the piece went out.</summary>
    public bool BlockTakenBack(int piece)
    {
        if (!_queuedBlocks.TryGetValue(piece, out int queued))
        {
            return false;
        }

        if (queued > 1)
        {
            _queuedBlocks[piece] = queued - 1;
            return false;
        }

        _queuedBlocks.Remove(piece);
        return true;
    }

    public void Clear()
    {
        _pending.Clear();
        PendingBytes = 0;
    }
}
