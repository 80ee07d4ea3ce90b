namespace Shoal.Swarm;

/// <summary>A torrent's transfer state at a moment.</summary>
public sealed record SwarmStatus(
    int PiecesHave,
    int PieceCount,
    long VerifiedBytes,
    long TotalBytes,
    long Downloaded,
    long Uploaded,
    long Wasted,
    int HashFailures,
    long DownloadRate,
    long UploadRate,
    IReadOnlyList<PeerSnapshot> Peers,
    IReadOnlyDictionary<string, long> DownloadedByPeerId)
{
    public double Progress => TotalBytes == 0 ? 1 : (double)VerifiedBytes / TotalBytes;
}
