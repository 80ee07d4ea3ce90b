using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Session;

namespace Shoal.Cli;

/// <summary>
/// A private torrent (BEP 27) finds peers only through its trackers: when every one of them refuses it
/// with a failure reason (not a member, not logged in…) and no peer was given, waiting is pointless.
/// </summary>
public static class TrackerRefusal
{
    /// <summary>Why the download cannot go on, or <see langword="null"/> while it might.</summary>
    public static string? Reason(Torrent torrent, TorrentStatus status, bool peersGiven)
    {
        bool refused = torrent.IsPrivate
            && !peersGiven
            && status.Swarm.Peers.Count == 0
            && status.Trackers.Count > 0
            && status.Trackers.All(t => t.LastError?.StartsWith(TrackerAnnounceResult.FailureReasonPrefix, StringComparison.Ordinal) == true);
        if (!refused)
        {
            return null;
        }

        // The URL may hold the user's passkey: only the tracker's address is shown.
        IEnumerable<string> reasons = status.Trackers
            .Select(t => $"{t.Url.GetLeftPart(UriPartial.Authority)} says \"{t.LastError![TrackerAnnounceResult.FailureReasonPrefix.Length..]}\"")
            .Distinct();
        return $"{torrent.Name} is private and its tracker refuses it: {string.Join("; ", reasons)}";
    }
}
