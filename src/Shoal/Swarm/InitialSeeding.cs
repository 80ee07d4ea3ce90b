using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Swarm;

/// <summary>
/// Initial seeding (BEP 16, super-seeding) while we are a seed and some piece is on no other peer: we show each
/// peer none of our pieces and then offer it pieces one HAVE at a time, each piece to one peer only, until every
/// piece has reached some peer. A seeder that serves whatever it is asked sends the same piece to several leechers
/// while others were never sent (libtorrent's seeder sends 1.6–1.9× the file to 8–32 capped leechers); offered
/// this way, every byte the seeder sends is a piece no one else has, and the leechers spread it among themselves.
/// </summary>
/// <remarks>
/// Rules, each with its reason:
/// <list type="bullet">
/// <item>Offers go only to peers we unchoke: a choked peer cannot ask for its offers, which would wait unsent
/// while other peers could take them. A choked peer's offers not yet on any peer go back to the pool.</item>
/// <item>An unchoked peer is kept at <see cref="SwarmSettings.InitialSeedingOfferAhead"/> bytes (or two seconds of
/// our rate to it, if more) of offers it has neither asked for nor announced. Its first request for an offer tops it up at once, so its pipeline never
/// waits for a HAVE round trip: a lone leecher downloads at full speed.</item>
/// <item>A piece is delivered once any peer announces it (HAVE or bitfield): some other peer can now serve it, so
/// it is never offered again. When every piece is delivered (at once if a seed connects) the mode ends and the
/// swarm announces every piece each peer lacks: we are an ordinary seed for the tail.</item>
/// <item>An offer goes back to the pool when its peer is choked or closes without announcing it, says it is not
/// interested (it does not want that piece: skipped files), or leaves it unasked for <see cref="SwarmSettings.InitialSeedingOfferTimeout"/>.
/// A peer that later asks for a piece it was shown is still served: we never refuse what we said we have.</item>
/// </list>
/// Sans-I/O: the swarm passes the time and writes the HAVE messages this returns.
/// </remarks>
internal sealed class InitialSeeding
{
    /// <summary>Seconds of the peer's rate kept offered ahead, when that is more than the configured bytes.</summary>
    private static readonly TimeSpan OfferAheadTime = TimeSpan.FromSeconds(2);

    private readonly Torrent _torrent;
    private readonly long _offerAhead;
    private readonly TimeSpan _offerTimeout;
    private readonly PieceSet _offered;
    private readonly PieceSet _delivered;
    // The peer each offered piece is offered to, so that only its holder gives it back.
    private readonly int[] _holder;
    private int _cursor;

    public InitialSeeding(Torrent torrent, long offerAhead, TimeSpan offerTimeout)
    {
        _torrent = torrent;
        _offerAhead = offerAhead;
        _offerTimeout = offerTimeout;
        _offered = new PieceSet(torrent.PieceCount);
        _delivered = new PieceSet(torrent.PieceCount);
        _holder = new int[torrent.PieceCount];
    }

    /// <summary>Some piece is on no peer yet: offers are still being made.</summary>
    public bool IsActive => !_delivered.IsComplete;

    /// <summary>Whether the peer may be served the piece: we showed it that we have it.</summary>
    public static bool MayServe(SwarmPeer peer, int piece) => peer.Offers is { } offers && offers.Shown[piece];

    /// <summary>Starts following a new connection; it has been shown nothing.</summary>
    public void AddPeer(SwarmPeer peer) => peer.Offers = new SeedOffers(_torrent.PieceCount);

    /// <summary>Fills the unchoked peer's offers up to the offer-ahead; adds the pieces to announce to <paramref name="announce"/>.</summary>
    public void TopUp(SwarmPeer peer, TimeSpan now, List<int> announce)
    {
        if (peer.Offers is not { } offers || peer.AmChoking || peer.IsSeed)
        {
            return;
        }

        // HAVEs queue behind the blocks already on their way, so what a peer knows to ask for trails what we offered by
        // its pipeline: at a high rate the offers must reach further ahead, or they would cap its pipeline.
        long ahead = Math.Max(_offerAhead, (long)(peer.UploadMeter.Rate(now) * OfferAheadTime.TotalSeconds));
        while (offers.PendingBytes < ahead && NextOffer(peer) is int piece and >= 0)
        {
            _offered.Set(piece);
            _holder[piece] = peer.Id;
            offers.Shown.Set(piece);
            offers.Add(piece, _torrent.PieceSize(piece), now);
            announce.Add(piece);
        }
    }

    /// <summary>A block of the piece was queued to the peer: the offer is taken, and another may be made.</summary>
    public void OnRequested(SwarmPeer peer, int piece, TimeSpan now, List<int> announce)
    {
        if (peer.Offers is not { } offers)
        {
            return;
        }

        offers.BlockQueued(piece);
        if (offers.Remove(piece, _torrent.PieceSize(piece)))
        {
            TopUp(peer, now, announce);
        }
    }

    /// <summary>The peer announced the pieces it has (bitfield, HAVE): those are delivered, and its offers among them are done.</summary>
    public void OnPeerHas(SwarmPeer peer, TimeSpan now, List<int> announce)
    {
        PieceSet pieces = peer.Pieces;
        for (int piece = pieces.NextSet(0); piece >= 0; piece = pieces.NextSet(piece + 1))
        {
            _delivered.Set(piece);
            peer.Offers?.Remove(piece, _torrent.PieceSize(piece));
        }

        TopUp(peer, now, announce);
    }

    /// <summary>The peer announced one piece.</summary>
    public void OnPeerHas(SwarmPeer peer, int piece, TimeSpan now, List<int> announce)
    {
        _delivered.Set(piece);
        if (peer.Offers is { } offers && offers.Remove(piece, _torrent.PieceSize(piece)))
        {
            TopUp(peer, now, announce);
        }
    }

    /// <summary>
    /// We choked the peer and took back its queued blocks (<paramref name="takenBack"/>): its offers not yet on any peer
    /// go back to the pool, unasked ones and those of which no block went out. A piece of which some blocks went out
    /// stays its: given to another peer, those blocks would go out twice while other pieces never went out once; the
    /// peer finishes it when it is unchoked again (the choker rotates its slots).
    /// </summary>
    public void TakeBack(SwarmPeer peer, List<BlockRef> takenBack)
    {
        if (peer.Offers is not { } offers)
        {
            return;
        }

        foreach (BlockRef block in takenBack)
        {
            if (offers.BlockTakenBack(block.Piece))
            {
                Release(block.Piece, peer);
            }
        }

        foreach ((int piece, _) in offers.Pending)
        {
            Release(piece, peer);
        }

        offers.Clear();
    }

    /// <summary>The peer is gone: every piece offered to it and not yet on any peer goes back to the pool.</summary>
    public void OnClosed(SwarmPeer peer)
    {
        if (peer.Offers is not { } offers)
        {
            return;
        }

        for (int piece = offers.Shown.NextSet(0); piece >= 0; piece = offers.Shown.NextSet(piece + 1))
        {
            Release(piece, peer);
        }

        offers.Clear();
        peer.Offers = null;
    }

    /// <summary>
    /// Offers left unasked for the offer timeout go back to the pool; the peer is topped up with others. Called each
    /// tick for every peer, it also tops up peers that had nothing to be offered when pieces came back to the pool.
    /// </summary>
    public void Expire(SwarmPeer peer, TimeSpan now, List<int> announce)
    {
        if (peer.Offers is not { } offers)
        {
            return;
        }

        while (offers.Pending.Count > 0 && now - offers.Pending[0].OfferedAt >= _offerTimeout)
        {
            int piece = offers.Pending[0].Piece;
            offers.Remove(piece, _torrent.PieceSize(piece));
            Release(piece, peer);
        }

        TopUp(peer, now, announce);
    }

    private void Release(int piece, SwarmPeer holder)
    {
        if (!_delivered[piece] && _offered[piece] && _holder[piece] == holder.Id)
        {
            _offered.Set(piece, false);
            _cursor = Math.Min(_cursor, piece);
        }
    }

    /// <summary>The first piece, from the cursor on, that is neither offered nor delivered and the peer lacks and was not shown; -1 when none.</summary>
    private int NextOffer(SwarmPeer peer)
    {
        for (int piece = _cursor; piece < _torrent.PieceCount; piece++)
        {
            if (_offered[piece] || _delivered[piece])
            {
                if (piece == _cursor)
                {
                    _cursor++;
                }

                continue;
            }

            // A piece it was shown before and did not take, it does not want (skipped files): it goes to another peer.
            if (!peer.Pieces[piece] && !peer.Offers!.Shown[piece])
            {
                return piece;
            }
        }

        return -1;
    }
}
