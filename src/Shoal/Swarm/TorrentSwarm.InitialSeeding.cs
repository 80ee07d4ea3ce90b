using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>Initial seeding (BEP 16) offers and serves pieces one peer at a time; false once every piece is on some peer.</summary>
    public bool IsInitialSeeding => _initialSeeding is not null;

    /// <summary>
    /// Whether the choker should count the peer as wanting our data. While initial seeding, every peer that is
    /// not a seed does, interested or not: it has been shown nothing yet, and only an unchoked peer is offered
    /// pieces (BEP 3 allows unchoking a peer that is not interested).
    /// </summary>
    private bool WantsFromUs(SwarmPeer peer) =>
        peer.PeerInterested || (_initialSeeding is not null && peer.WebSeed is null && !peer.IsSeed && !peer.IsUploadOnly);

    /// <summary>BEP 3 HAVE for each piece <see cref="InitialSeeding"/> just offered the peer.</summary>
    private void SendOffers(SwarmPeer peer)
    {
        if (_offers.Count == 0)
        {
            return;
        }

        foreach (int piece in _offers)
        {
            PeerMessageWriter.WriteIndex(Output(peer), MessageId.Have, piece);
        }

        _offers.Clear();
    }

    private void OfferPieces(SwarmPeer peer)
    {
        if (_initialSeeding is not null)
        {
            _initialSeeding.TopUp(peer, Now, _offers);
            SendOffers(peer);
        }
    }

    /// <summary>The peer announced <paramref name="piece"/>, or its whole piece set when -1.</summary>
    private void OnPeerHasForInitialSeeding(SwarmPeer peer, int piece)
    {
        if (_initialSeeding is null)
        {
            return;
        }

        if (piece < 0)
        {
            _initialSeeding.OnPeerHas(peer, Now, _offers);
        }
        else
        {
            _initialSeeding.OnPeerHas(peer, piece, Now, _offers);
        }

        SendOffers(peer);
        if (!_initialSeeding.IsActive)
        {
            EndInitialSeeding();
        }
    }

    /// <summary>Every piece is on some peer: we become an ordinary seed, and tell each peer of every piece it lacks that it was not shown.</summary>
    private void EndInitialSeeding()
    {
        _initialSeeding = null;
        foreach (SwarmPeer peer in _peers)
        {
            if (peer.Offers is not { } offers)
            {
                continue;
            }

            peer.Offers = null;
            for (int piece = 0; piece < _torrent.PieceCount; piece++)
            {
                if (!peer.Pieces[piece] && !offers.Shown[piece])
                {
                    PeerMessageWriter.WriteIndex(Output(peer), MessageId.Have, piece);
                }
            }
        }
    }
}
