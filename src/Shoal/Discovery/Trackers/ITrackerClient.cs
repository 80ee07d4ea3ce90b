using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// A client of one tracker: HTTP (BEP 3, 23, 48) or UDP (BEP 15). A <c>failure reason</c> from the
/// tracker comes back in the response; a tracker that cannot be reached, does not answer in time or
/// answers something that is not the protocol is a <see cref="TrackerException"/>. Cancelling the
/// token throws <see cref="OperationCanceledException"/>.
/// </summary>
public interface ITrackerClient
{
    /// <summary>The tracker's URL, as given in the torrent.</summary>
    Uri Url { get; }

    /// <summary>Announces the peer and returns the tracker's answer (peers, intervals, or a failure reason).</summary>
    Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken ct);

    /// <summary>Asks for the numbers of the given swarms; the answer is keyed by 20-byte (truncated) info-hashes.</summary>
    Task<ScrapeResponse> ScrapeAsync(IReadOnlyList<InfoHash> infoHashes, CancellationToken ct);
}
