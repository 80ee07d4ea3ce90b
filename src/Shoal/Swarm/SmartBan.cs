namespace Shoal.Swarm;

/// <summary>
/// Finds the peers that send bad data (libtorrent's "smart ban"). When a piece fails its hash check, every
/// sender of one of its blocks gets a strike and the hash of each block it sent is kept. When the piece later
/// passes, the good blocks convict the senders whose earlier versions differ and clear the others of the
/// strike. A peer that alone sent a whole failed piece is banned at its second strike, any peer at
/// <see cref="MaxStrikes"/>.
/// </summary>
/// <remarks>
/// Sans-I/O and not thread-safe. Memory is bounded: at most <see cref="MaxFailedPieces"/> failed pieces are
/// remembered, the oldest forgotten first (its strikes stay), each with the block versions of a few failures; at most <see cref="MaxPeers"/> peers with strikes, those
/// with the fewest forgotten first, and as many banned peers, the oldest ban lifted first: a peer with many addresses
/// could otherwise grow both without end.
/// </remarks>
/// <typeparam name="TPeer">How the swarm identifies a peer, usually its IP address.</typeparam>
public sealed class SmartBan<TPeer>
    where TPeer : notnull
{
    private const int LoneSenderMaxStrikes = 2;

    // The versions of a failed piece's blocks kept, in whole pieces' worth.
    private const int FailuresPerPiece = 4;

    private readonly IEqualityComparer<TPeer> _comparer;
    private readonly Dictionary<TPeer, int> _strikes;
    private readonly HashSet<TPeer> _banned;
    private readonly Queue<TPeer> _banOrder = new();
    private readonly HashSet<TPeer> _scratch;
    private readonly Dictionary<int, FailedPiece<TPeer>> _failed = [];
    private readonly LinkedList<int> _failedOrder = new();

    public SmartBan(int maxStrikes = 3, int maxFailedPieces = 256, int maxPeers = 4096, IEqualityComparer<TPeer>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStrikes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailedPieces, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeers, 1);
        MaxStrikes = maxStrikes;
        MaxFailedPieces = maxFailedPieces;
        MaxPeers = maxPeers;
        _comparer = comparer ?? EqualityComparer<TPeer>.Default;
        _strikes = new Dictionary<TPeer, int>(_comparer);
        _banned = new HashSet<TPeer>(_comparer);
        _scratch = new HashSet<TPeer>(_comparer);
    }

    /// <summary>Strikes at which any peer is banned.</summary>
    public int MaxStrikes { get; }

    /// <summary>How many failed pieces are remembered at most.</summary>
    public int MaxFailedPieces { get; }

    /// <summary>How many peers with strikes, and how many banned peers, are remembered at most.</summary>
    public int MaxPeers { get; }

    /// <summary>How many failed pieces are remembered now.</summary>
    public int FailedPieceCount => _failed.Count;

    public int PeersWithStrikes => _strikes.Count;

    public IReadOnlyCollection<TPeer> Banned => _banned;

    /// <summary>
    /// Whether the piece failed before and is still remembered, so that the swarm knows to pass its blocks
    /// to <see cref="OnPiecePassed"/> when it verifies.
    /// </summary>
    public bool HasFailed(int piece) => _failed.ContainsKey(piece);

    public int StrikesOf(TPeer peer) => _strikes.GetValueOrDefault(peer);

    public bool IsBanned(TPeer peer) => _banned.Contains(peer);

    /// <summary>Bans a peer for a reason found elsewhere; returns false if it was already banned.</summary>
    public bool Ban(TPeer peer)
    {
        if (!_banned.Add(peer))
        {
            return false;
        }

        _banOrder.Enqueue(peer);
        if (_banned.Count > MaxPeers)
        {
            _banned.Remove(_banOrder.Dequeue());
        }

        return true;
    }

    /// <summary>
    /// Records a piece that failed its hash check. <paramref name="blocks"/> lists the piece's blocks in
    /// order, each with the peer that sent it. Returns the peers banned by this failure.
    /// </summary>
    public IReadOnlyCollection<TPeer> OnPieceFailed(int piece, IReadOnlyList<(TPeer Sender, ReadOnlyMemory<byte> Block)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            return [];
        }

        FailedPiece<TPeer> failed = Remember(piece, blocks.Count);
        _scratch.Clear();
        for (int i = 0; i < blocks.Count; i++)
        {
            (TPeer sender, ReadOnlyMemory<byte> block) = blocks[i];
            failed.Record(i, sender, BlockDigest.Of(block.Span));
            _scratch.Add(sender);
        }

        bool loneSender = _scratch.Count == 1;
        List<TPeer>? banned = null;
        foreach (TPeer sender in _scratch)
        {
            failed.Strikes[sender] = failed.Strikes.GetValueOrDefault(sender) + 1;
            int strikes = AddStrike(sender);
            if ((strikes >= MaxStrikes || (loneSender && strikes >= LoneSenderMaxStrikes)) && Ban(sender))
            {
                (banned ??= []).Add(sender);
            }
        }

        return banned ?? [];
    }

    /// <summary>
    /// Settles a piece that failed before and has now passed its hash check. <paramref name="blocks"/> lists
    /// the good piece's blocks in order (their senders do not matter). Every peer that had sent a different
    /// version of one of these blocks is banned; the others lose the strikes this piece gave them. Returns
    /// the peers banned; does nothing for a piece that is not remembered.
    /// </summary>
    public IReadOnlyCollection<TPeer> OnPiecePassed(int piece, IReadOnlyList<(TPeer Sender, ReadOnlyMemory<byte> Block)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (!_failed.Remove(piece, out FailedPiece<TPeer>? failed))
        {
            return [];
        }

        _failedOrder.Remove(failed.Node!);
        var good = new BlockDigest?[blocks.Count];
        _scratch.Clear();
        foreach ((int block, TPeer sender, BlockDigest digest) in failed.Blocks)
        {
            // A block the good piece does not have is no evidence either way.
            if (block < blocks.Count && digest != (good[block] ??= BlockDigest.Of(blocks[block].Block.Span)))
            {
                _scratch.Add(sender);
            }
        }

        List<TPeer>? banned = null;
        foreach ((TPeer sender, int strikes) in failed.Strikes)
        {
            if (_scratch.Contains(sender))
            {
                if (Ban(sender))
                {
                    (banned ??= []).Add(sender);
                }
            }
            else
            {
                TakeBackStrikes(sender, strikes);
            }
        }

        return banned ?? [];
    }

    private FailedPiece<TPeer> Remember(int piece, int blockCount)
    {
        if (_failed.TryGetValue(piece, out FailedPiece<TPeer>? known))
        {
            if (known.Blocks.Count < FailuresPerPiece * blockCount)
            {
                return known;
            }

            // A piece that fails again and again would gather versions of its blocks without end: it starts afresh,
            // as a forgotten piece does (the strikes stay).
            _failedOrder.Remove(known.Node!);
            _failed.Remove(piece);
        }
        else if (_failed.Count >= MaxFailedPieces)
        {
            int oldest = _failedOrder.First!.Value;
            _failedOrder.RemoveFirst();
            _failed.Remove(oldest);
        }

        var failed = new FailedPiece<TPeer>(_comparer);
        failed.Node = _failedOrder.AddLast(piece);
        _failed.Add(piece, failed);
        return failed;
    }

    private int AddStrike(TPeer peer)
    {
        if (!_strikes.ContainsKey(peer) && _strikes.Count >= MaxPeers)
        {
            int fewest = _strikes.Values.Min();
            foreach (TPeer forgotten in _strikes.Where(entry => entry.Value == fewest).Select(entry => entry.Key).ToList())
            {
                _strikes.Remove(forgotten);
            }
        }

        return _strikes[peer] = StrikesOf(peer) + 1;
    }

    private void TakeBackStrikes(TPeer peer, int strikes)
    {
        int left = StrikesOf(peer) - strikes;
        if (left > 0)
        {
            _strikes[peer] = left;
        }
        else
        {
            _strikes.Remove(peer);
        }
    }
}
