using Shoal.Session;

namespace Shoal.Cli;

/// <summary>A few words on a torrent's trackers for the progress line: "tracker: ok, 3 peer(s)" or what went wrong.</summary>
public static class TrackerLine
{
    private const int MaxErrorLength = 60;

    /// <summary>The words, or <see langword="null"/> when the torrent has no tracker.</summary>
    public static string? For(IReadOnlyList<TrackerStatus> trackers)
    {
        if (trackers.Count == 0)
        {
            return null;
        }

        TrackerStatus[] answering = [.. trackers.Where(t => t.LastAnnounce is not null && t.LastError is null)];
        if (answering.Length > 0)
        {
            return $"tracker: ok, {answering.Sum(t => t.Peers)} peer(s)";
        }

        return trackers.FirstOrDefault(t => t.LastError is not null)?.LastError is { } error
            ? $"tracker: {(error.Length > MaxErrorLength ? error[..MaxErrorLength] + "…" : error)}"
            : "tracker: announcing";
    }
}
