using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    private readonly List<int> _unchoke = [];
    private readonly List<ChokeCandidate> _candidates = [];
    private readonly List<BlockRef> _takenBack = [];

    private void OnRequest(SwarmPeer peer, BlockRef block)
    {
        bool allowed = Have[block.Piece] && (!peer.AmChoking || peer.AllowedFastForPeer.Contains(block.Piece))
            && (_initialSeeding is null || InitialSeeding.MayServe(peer, block.Piece));
        if (allowed && peer.Link.SendBlock(block))
        {
            if (_initialSeeding is not null)
            {
                _initialSeeding.OnRequested(peer, block.Piece, Now, _offers);
                SendOffers(peer);
            }

            MarkOutput(peer);
            TimeSpan now = Now;
            Uploaded += block.Length;
            peer.Uploaded += block.Length;
            peer.UploadMeter.Add(block.Length, now);
            _uploadMeter.Add(block.Length, now);
        }
        else if (peer.SupportsFast)
        {
            // BEP 6: every request is answered, by the block or by a reject. Without the extension it is ignored.
            PeerMessageWriter.WriteBlockReference(Output(peer), MessageId.RejectRequest, block.Piece, block.Begin, block.Length);
        }
    }

    private void OnCancel(SwarmPeer peer, BlockRef block)
    {
        if (!peer.Link.TryCancelBlock(block))
        {
            return;
        }

        Uploaded -= block.Length;
        peer.Uploaded -= block.Length;
        if (peer.SupportsFast)
        {
            PeerMessageWriter.WriteBlockReference(Output(peer), MessageId.RejectRequest, block.Piece, block.Begin, block.Length);
        }
    }

    private void Rechoke(TimeSpan now)
    {
        _candidates.Clear();
        foreach (SwarmPeer peer in _peers)
        {
            _candidates.Add(new ChokeCandidate(
                peer.Id,
                WantsFromUs(peer),
                !peer.AmChoking,
                peer.IsSnubbed,
                peer.DownloadMeter.Rate(now),
                peer.UploadMeter.Rate(now),
                peer.AmChoking ? TimeSpan.Zero : now - peer.UnchokedAt));
        }

        _unchoke.Clear();
        _choker.Rechoke(_candidates, IsComplete, now, _unchoke);
        foreach (SwarmPeer peer in _peers)
        {
            bool unchoke = _unchoke.Contains(peer.Id);
            if (unchoke && peer.AmChoking)
            {
                Unchoke(peer);
            }
            else if (!unchoke && !peer.AmChoking)
            {
                Choke(peer);
            }
        }
    }

    private void Unchoke(SwarmPeer peer)
    {
        peer.AmChoking = false;
        peer.UnchokedAt = Now;
        PeerMessageWriter.WriteSimple(Output(peer), MessageId.Unchoke);
        OfferPieces(peer);
    }

    private void Choke(SwarmPeer peer)
    {
        peer.AmChoking = true;
        PeerMessageWriter.WriteSimple(Output(peer), MessageId.Choke);
        _takenBack.Clear();
        peer.Link.TakeBackQueuedBlocks(_takenBack);
        _initialSeeding?.TakeBack(peer, _takenBack);
        foreach (BlockRef block in _takenBack)
        {
            Uploaded -= block.Length;
            peer.Uploaded -= block.Length;
            if (peer.SupportsFast)
            {
                PeerMessageWriter.WriteBlockReference(Output(peer), MessageId.RejectRequest, block.Piece, block.Begin, block.Length);
            }
        }
    }

    /// <summary>A slot came free: give it to an interested peer we choke, if any, without waiting for the next round.</summary>
    private void UnchokeWaitingPeer()
    {
        if (!_choker.HasFreeSlot(_peers.Count(p => !p.AmChoking)))
        {
            return;
        }

        SwarmPeer? waiting = _peers.Where(p => p.AmChoking && WantsFromUs(p) && !p.IsSnubbed).MaxBy(p => p.DownloadMeter.Rate(Now));
        if (waiting is not null)
        {
            Unchoke(waiting);
        }
    }
}
