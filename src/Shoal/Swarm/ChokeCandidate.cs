namespace Shoal.Swarm;

/// <summary>
/// What the <see cref="Choker"/> needs to know about one connection at a rechoke.
/// </summary>
/// <param name="PeerId">The swarm's key for the connection; distinct within one call.</param>
/// <param name="IsInterested">The peer is interested in us (wants to download from us).</param>
/// <param name="IsUnchoked">We are currently unchoking the peer.</param>
/// <param name="IsSnubbed">The peer has not sent us data it owed for a long time.</param>
/// <param name="DownloadRate">Bytes per second we receive from the peer.</param>
/// <param name="UploadRate">Bytes per second we send to the peer.</param>
/// <param name="UnchokedFor">How long the peer has been unchoked without interruption; zero when choked.</param>
public readonly record struct ChokeCandidate(
    int PeerId,
    bool IsInterested,
    bool IsUnchoked,
    bool IsSnubbed,
    long DownloadRate,
    long UploadRate,
    TimeSpan UnchokedFor);
