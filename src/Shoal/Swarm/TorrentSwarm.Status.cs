using Shoal.Metainfo;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    public SwarmStatus GetStatus()
    {
        TimeSpan now = Now;
        (long wanted, long wantedVerified) = _picker.WantedBytes;
        return new SwarmStatus(
            PiecesHave: Have.Count,
            PieceCount: _torrent.PieceCount,
            VerifiedBytes: _verifiedBytes,
            TotalBytes: _torrent.AddressSpaceLength(),
            WantedBytes: wanted,
            WantedVerifiedBytes: wantedVerified,
            Downloaded: Downloaded,
            Uploaded: Uploaded,
            Wasted: Wasted,
            HashFailures: HashFailures,
            DownloadRate: _downloadMeter.Rate(now),
            UploadRate: _uploadMeter.Rate(now),
            Peers: [.. _peers.Select(p => Snapshot(p, now))],
            DownloadedByPeerId: DownloadedByPeerId())
        {
            DownloadedByConnectionKind = DownloadedByConnectionKind(),
        };
    }

    private Dictionary<ConnectionKind, long> DownloadedByConnectionKind()
    {
        Dictionary<ConnectionKind, long> totals = new(_downloadedByKindFromClosed);
        foreach (SwarmPeer peer in _peers.Where(p => p.WebSeed is null && p.Downloaded > 0))
        {
            totals[peer.Kind] = totals.GetValueOrDefault(peer.Kind) + peer.Downloaded;
        }

        return totals;
    }

    /// <summary>Payload kept from each peer id over every connection so far, open or closed (see <see cref="ClosedPeerTotals"/> for the closed ones kept).</summary>
    private Dictionary<string, long> DownloadedByPeerId()
    {
        Dictionary<string, long> totals = _downloadedFromClosed.Copy();
        foreach (SwarmPeer peer in _peers)
        {
            string peerId = PeerIdText.Format(peer.PeerId.Span);
            totals[peerId] = totals.GetValueOrDefault(peerId) + peer.Downloaded;
        }

        return totals;
    }

    private PeerSnapshot Snapshot(SwarmPeer peer, TimeSpan now) => new(
        peer.Address,
        peer.Port,
        PeerIdText.Format(peer.PeerId.Span),
        peer.Client,
        peer.IsSeed,
        _torrent.PieceCount == 0 ? 1 : (double)peer.Pieces.Count / _torrent.PieceCount,
        peer.Downloaded,
        peer.Uploaded,
        peer.DownloadMeter.Rate(now),
        peer.UploadMeter.Rate(now),
        peer.AmChoking,
        peer.PeerChoking,
        peer.IsSnubbed,
        peer.AmInterested,
        peer.PeerInterested,
        peer.Link.QueuedBytes)
    {
        WebSeed = peer.WebSeed,
        Transport = peer.Transport,
        IsEncrypted = peer.IsEncrypted,
    };
}
