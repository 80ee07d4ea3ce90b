using System.Buffers;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>BEP 3 bitfield, or BEP 6 have all / have none; then BEP 6 allowed-fast pieces.</summary>
    private void SendPieceInformation(SwarmPeer peer)
    {
        IBufferWriter<byte> output = Output(peer);
        if (_initialSeeding is not null)
        {
            // BEP 16: an initial seed shows nothing and offers pieces one HAVE at a time; no allowed-fast set either.
            if (peer.SupportsFast)
            {
                PeerMessageWriter.WriteSimple(output, MessageId.HaveNone);
            }

            return;
        }

        if (peer.SupportsFast && Have.IsComplete)
        {
            PeerMessageWriter.WriteSimple(output, MessageId.HaveAll);
        }
        else if (peer.SupportsFast && Have.IsEmpty)
        {
            PeerMessageWriter.WriteSimple(output, MessageId.HaveNone);
        }
        else if (!Have.IsEmpty)
        {
            PeerMessageWriter.WriteBitfield(output, Have.AsSpan());
        }

        if (peer.SupportsFast && !Have.IsEmpty)
        {
            peer.AllowedFastForPeer = AllowedFastSet.Compute(peer.Address, _torrent.InfoHashes.ForWire, _torrent.PieceCount, _settings.AllowedFastCount);
            foreach (int piece in peer.AllowedFastForPeer.Where(p => Have[p]))
            {
                PeerMessageWriter.WriteIndex(output, MessageId.AllowedFast, piece);
            }
        }
    }

    /// <summary>
    /// A bitfield, have all or have none. BEP 3 and 6 send it once, first; a peer that sends another (aria2
    /// follows its have none with a bitfield) is taken at its latest word rather than dropped.
    /// </summary>
    private void SetPieceInformation(SwarmPeer peer, PieceSet pieces)
    {
        if (peer.HasPieceInformation)
        {
            _picker.AddAvailability(peer.Pieces, -1);
        }

        peer.HasPieceInformation = true;
        peer.Pieces = pieces;
        _picker.AddAvailability(pieces, +1);
        OnPeerHasForInitialSeeding(peer, -1);
        if (NeitherWantsTheOther(peer))
        {
            Disconnect(peer, "neither side wants anything from the other");
            return;
        }

        UpdateInterest(peer);
    }

    private void OnHave(SwarmPeer peer, int piece)
    {
        peer.HasPieceInformation = true;
        if (!peer.Pieces.Set(piece))
        {
            return;
        }

        _picker.AddAvailability(piece);
        OnPeerHasForInitialSeeding(peer, piece);
        if (NeitherWantsTheOther(peer))
        {
            Disconnect(peer, "neither side wants anything from the other");
            return;
        }

        if (!peer.AmInterested && !Have[piece])
        {
            UpdateInterest(peer);
        }
        else if (peer.AmInterested)
        {
            RequestBlocks(peer);
        }
    }

    /// <summary>We fetch nothing more, and the peer is a seed or a partial seed (BEP 21): the connection would only hold a slot.</summary>
    private bool NeitherWantsTheOther(SwarmPeer peer) => HasNothingToFetch && (peer.IsSeed || peer.IsUploadOnly);

    private void AnnouncePiece(int piece)
    {
        foreach (SwarmPeer peer in _peers.ToArray())
        {
            if (!peer.Pieces[piece])
            {
                // A peer we choke cannot ask for the piece yet: its HAVE travels with the next few (each HAVE on its
                // own was a segment to send and one to receive per piece and peer, most of a capped swarm's wake-ups).
                PeerMessageWriter.WriteIndex(peer.AmChoking ? LazyOutput(peer) : Output(peer), MessageId.Have, piece);
            }

            if (NeitherWantsTheOther(peer))
            {
                Disconnect(peer, "neither side wants anything from the other");
            }
            else if (peer.AmInterested)
            {
                UpdateInterest(peer);
            }
        }
    }
}
