namespace Shoal.Swarm;

/// <summary>A torrent's transfer state at a moment.</summary>
/// <param name="VerifiedBytes">Bytes of every verified piece.</param>
/// <param name="TotalBytes">Bytes of every piece.</param>
/// <param name="WantedBytes">Bytes of the pieces that hold bytes of files not skipped: what the download fetches.</param>
/// <param name="WantedVerifiedBytes">Bytes of the wanted pieces verified.</param>
public sealed record SwarmStatus(
    int PiecesHave,
    int PieceCount,
    long VerifiedBytes,
    long TotalBytes,
    long WantedBytes,
    long WantedVerifiedBytes,
    long Downloaded,
    long Uploaded,
    long Wasted,
    int HashFailures,
    long DownloadRate,
    long UploadRate,
    IReadOnlyList<PeerSnapshot> Peers,
    IReadOnlyDictionary<string, long> DownloadedByPeerId)
{
    /// <summary>Payload received over each kind of connection (transport and encryption), open or closed; web seeds not counted.</summary>
    public IReadOnlyDictionary<ConnectionKind, long> DownloadedByConnectionKind { get; init; } = new Dictionary<ConnectionKind, long>();

    /// <summary>How much of what is wanted is verified, 0 to 1.</summary>
    public double Progress => WantedBytes == 0 ? 1 : (double)WantedVerifiedBytes / WantedBytes;

    /// <summary>Bytes of wanted pieces still missing: an announce's <c>left</c>.</summary>
    public long Left => WantedBytes - WantedVerifiedBytes;
}
