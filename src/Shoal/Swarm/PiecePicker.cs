using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Swarm;

/// <summary>
/// Decides which blocks to ask a peer for: blocks of pieces already started first (oldest first), then a
/// new wanted piece, of the highest priority first and then rarest first with a random tie-break, then,
/// once every missing wanted block has been asked for, endgame duplicates of blocks still in flight. A
/// piece is wanted when it holds bytes of a file that is not skipped; pieces started before their files
/// were skipped are finished.
/// </summary>
internal sealed class PiecePicker
{
    private readonly Torrent _torrent;
    private readonly Random _random;
    private readonly BufferPool _pool;
    private readonly int[] _availability;
    private readonly PartialPiece?[] _partialByIndex;
    private readonly List<PartialPiece> _partials = [];
    private FilePriority[] _priorities;
    private int _wantedMissing;

    /// <param name="piecePriorities">Each piece's priority (<see cref="FilePriorities.OfPieces"/>); null: every piece wanted.</param>
    public PiecePicker(Torrent torrent, PieceSet have, FilePriority[]? piecePriorities, Random random, BufferPool pool)
    {
        _torrent = torrent;
        Have = have;
        _random = random;
        _pool = pool;
        _availability = new int[torrent.PieceCount];
        _partialByIndex = new PartialPiece?[torrent.PieceCount];
        _priorities = [];
        SetPriorities(piecePriorities ?? [.. Enumerable.Repeat(FilePriority.Normal, torrent.PieceCount)]);
    }

    public PieceSet Have { get; }

    /// <summary>Every wanted piece is had: the download is finished, though pieces of skipped files may be missing.</summary>
    public bool IsFinished => _wantedMissing == 0;

    /// <summary>Bytes of the wanted pieces, and of those verified.</summary>
    public (long Wanted, long Verified) WantedBytes => FilePriorities.WantedBytes(_torrent, _priorities, Have);

    public bool IsWanted(int piece) => _priorities[piece] != FilePriority.Skip;

    /// <summary>Takes new piece priorities at once: pieces no longer wanted are not started, newly wanted ones are.</summary>
    public void SetPriorities(FilePriority[] piecePriorities)
    {
        if (piecePriorities.Length != _torrent.PieceCount)
        {
            throw new ArgumentException($"{piecePriorities.Length} priorities for {_torrent.PieceCount} pieces", nameof(piecePriorities));
        }

        _priorities = piecePriorities;
        _wantedMissing = 0;
        for (int piece = 0; piece < piecePriorities.Length; piece++)
        {
            _wantedMissing += IsWanted(piece) && !Have[piece] ? 1 : 0;
        }
    }

    public IReadOnlyList<PartialPiece> Partials => _partials;

    /// <summary>Bytes of received blocks held in memory.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>Bytes of complete pieces with the checker: received, not yet verified.</summary>
    public long CheckingBytes { get; private set; }

    /// <summary>Bytes of complete pieces with the checker that it has not yet written: those a kill loses.</summary>
    public long UnwrittenBytes { get; private set; }

    /// <summary>Every missing piece is started and every missing block has been asked for at least once.</summary>
    public bool IsEndgame
    {
        get
        {
            int wantedStarted = 0;
            foreach (PartialPiece partial in _partials)
            {
                if (partial.Unrequested > 0)
                {
                    return false;
                }

                wantedStarted += IsWanted(partial.Index) ? 1 : 0;
            }

            return wantedStarted >= _wantedMissing;
        }
    }

    public int Availability(int piece) => _availability[piece];

    public PartialPiece? Partial(int piece) => _partialByIndex[piece];

    public void AddAvailability(PieceSet pieces, int delta)
    {
        if (pieces.IsComplete)
        {
            for (int i = 0; i < _availability.Length; i++)
            {
                _availability[i] += delta;
            }

            return;
        }

        for (int i = 0; i < _availability.Length; i++)
        {
            if (pieces[i])
            {
                _availability[i] += delta;
            }
        }
    }

    public void AddAvailability(int piece) => _availability[piece]++;

    /// <summary>Whether the peer has a piece we still need: a wanted one, or one already started.</summary>
    public bool WantsAnythingFrom(PieceSet peerPieces)
    {
        if ((IsFinished && _partials.Count == 0) || peerPieces.IsEmpty)
        {
            return false;
        }

        if (peerPieces.IsComplete)
        {
            return true;
        }

        for (int i = 0; i < peerPieces.Length; i++)
        {
            if (peerPieces[i] && !Have[i] && (IsWanted(i) || _partialByIndex[i] is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds up to <paramref name="count"/> blocks to ask <paramref name="peer"/> for, marking them requested.</summary>
    public void Pick(SwarmPeer peer, int count, bool mayStartPieces, int endgameDuplicates, List<BlockRef> picked)
    {
        int start = picked.Count;
        foreach (PartialPiece partial in _partials)
        {
            if (picked.Count - start >= count)
            {
                return;
            }

            if (!partial.IsChecking && partial.Unrequested > 0 && peer.Pieces[partial.Index] && peer.CanRequest(partial.Index))
            {
                TakeUnrequested(partial, count - (picked.Count - start), picked);
            }
        }

        while (mayStartPieces && picked.Count - start < count)
        {
            int piece = peer.WebSeed is null ? PickRarest(peer) : PickFirst(peer);
            if (piece < 0)
            {
                break;
            }

            var partial = new PartialPiece(piece, _torrent.PieceSize(piece));
            _partialByIndex[piece] = partial;
            _partials.Add(partial);
            TakeUnrequested(partial, count - (picked.Count - start), picked);
        }

        if (picked.Count - start < count && IsEndgame)
        {
            PickEndgame(peer, count - (picked.Count - start), endgameDuplicates, picked, start);
        }
    }

    /// <summary>Keeps a received block; false when it was not wanted (not started, already here, or being checked).</summary>
    public bool Store(BlockRef block, ReadOnlySpan<byte> data, PeerKey sender, out PartialPiece? partial)
    {
        partial = _partialByIndex[block.Piece];
        if (partial is null || partial.IsChecking || !partial.Store(block.BlockIndex, data, sender, _pool))
        {
            return false;
        }

        BufferedBytes += data.Length;
        return true;
    }

    public void ReleaseRequest(BlockRef block) => _partialByIndex[block.Piece]?.RemoveRequest(block.BlockIndex);

    /// <summary>A complete piece goes to the checker; no block of it is stored or requested until it is finished.</summary>
    public void StartCheck(PartialPiece partial)
    {
        partial.IsChecking = true;
        CheckingBytes += partial.Size;
        UnwrittenBytes += partial.Size;
    }

    /// <summary>The checker has written a piece it has not yet verified.</summary>
    public void MarkWritten(PartialPiece partial)
    {
        partial.IsWritten = true;
        UnwrittenBytes -= partial.Size;
    }

    /// <summary>Forgets a piece that was checked, returning its buffers: it is now had (passed) or missing again.</summary>
    public void Finish(PartialPiece partial, bool passed)
    {
        _partialByIndex[partial.Index] = null;
        _partials.Remove(partial);
        BufferedBytes -= partial.Size;
        CheckingBytes -= partial.Size;
        UnwrittenBytes -= partial.IsWritten ? 0 : partial.Size;
        partial.ReturnBuffers(_pool);
        if (passed && Have.Set(partial.Index) && IsWanted(partial.Index))
        {
            _wantedMissing--;
        }
    }

    /// <summary>Returns the buffers of pieces not with the checker, when the swarm stops; checked pieces return theirs in <see cref="Finish"/>.</summary>
    public void ReleaseUnchecked()
    {
        foreach (PartialPiece partial in _partials.Where(p => !p.IsChecking).ToList())
        {
            BufferedBytes -= partial.ReceivedBytes;
            partial.ReturnBuffers(_pool);
            _partialByIndex[partial.Index] = null;
            _partials.Remove(partial);
        }
    }

    /// <summary>A wanted piece not yet started that the peer has: highest priority, then least available first; ties broken at random.</summary>
    private int PickRarest(SwarmPeer peer)
    {
        int best = -1;
        FilePriority bestPriority = FilePriority.Skip;
        int bestAvailability = int.MaxValue;
        int ties = 0;
        for (int i = 0; i < _availability.Length; i++)
        {
            FilePriority priority = _priorities[i];
            if (priority < bestPriority || priority == FilePriority.Skip || !CanStart(peer, i))
            {
                continue;
            }

            int availability = _availability[i];
            if (priority > bestPriority || availability < bestAvailability)
            {
                best = i;
                bestPriority = priority;
                bestAvailability = availability;
                ties = 1;
            }
            else if (availability == bestAvailability && _random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// BEP 19: a web seed's new pieces are the first wanted ones free (of the highest priority), so that the pieces it is asked for follow each other and
    /// one HTTP range fetches many (the more so as pieces are small); it has every piece, so rarity means nothing for it.
    /// </summary>
    private int PickFirst(SwarmPeer peer)
    {
        int best = -1;
        FilePriority bestPriority = FilePriority.Skip;
        for (int i = 0; i < _availability.Length; i++)
        {
            if (_priorities[i] > bestPriority && CanStart(peer, i))
            {
                best = i;
                bestPriority = _priorities[i];
            }
        }

        return best;
    }

    /// <summary>Whether a new piece may start with this peer: missing, not started, and the peer has it and lets us ask.</summary>
    private bool CanStart(SwarmPeer peer, int piece) =>
        !Have[piece] && _partialByIndex[piece] is null && peer.Pieces[piece] && peer.CanRequest(piece);

    private static void TakeUnrequested(PartialPiece partial, int count, List<BlockRef> picked)
    {
        for (int taken = 0; taken < count; taken++)
        {
            int block = partial.NextUnrequested();
            if (block < 0)
            {
                return;
            }

            partial.AddRequest(block);
            picked.Add(partial.Block(block));
        }
    }

    /// <summary>Duplicates of blocks in flight, never of one the peer was asked for already, in an earlier call or this one (from <paramref name="pickedFrom"/>).</summary>
    private void PickEndgame(SwarmPeer peer, int count, int duplicates, List<BlockRef> picked, int pickedFrom)
    {
        foreach (PartialPiece partial in _partials)
        {
            if (partial.IsChecking || !peer.Pieces[partial.Index] || !peer.CanRequest(partial.Index))
            {
                continue;
            }

            for (int i = 0; i < partial.BlockCount && count > 0; i++)
            {
                BlockRef block = partial.Block(i);
                if (partial.IsReceived(i) || partial.RequestCount(i) >= duplicates || peer.Outstanding.Contains(block) || picked.IndexOf(block, pickedFrom) >= 0)
                {
                    continue;
                }

                partial.AddRequest(i);
                picked.Add(block);
                count--;
            }
        }
    }
}
