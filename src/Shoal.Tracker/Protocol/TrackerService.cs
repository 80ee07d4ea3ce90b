using Shoal.Discovery.Trackers;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Protocol;

/// <summary>
/// What the tracker answers, whatever the transport: it applies closed mode and the <c>numwant</c>
/// cap, then asks the swarm store. HTTP and UDP only decode requests and encode answers around it.
/// </summary>
internal sealed class TrackerService(TrackerOptions options, ISwarmStore swarms, RegisteredSwarms registered)
{
    public const string NotRegistered = "this tracker is closed: register the torrent first (POST /api/torrents)";

    public int IntervalSeconds { get; } = (int)options.AnnounceInterval.TotalSeconds;

    public int MinIntervalSeconds { get; } = (int)options.MinAnnounceInterval.TotalSeconds;

    public async ValueTask<AnnounceOutcome> AnnounceAsync(
        InfoHashKey infoHash, PeerAddress peer, long left, AnnounceEvent announceEvent, int? numWant, PeerFamilies families, CancellationToken cancellationToken)
    {
        if (options.Closed && !await registered.ContainsAsync(infoHash, cancellationToken).ConfigureAwait(false))
        {
            return AnnounceOutcome.Refused(NotRegistered);
        }

        int wanted = announceEvent == AnnounceEvent.Stopped ? 0 : Math.Min(numWant ?? options.DefaultNumWant, options.MaxNumWant);
        var announcement = new PeerAnnouncement(infoHash, peer, left == 0, announceEvent, wanted, families);
        return new AnnounceOutcome(await swarms.AnnounceAsync(announcement, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>The counts of each swarm asked for; in closed mode an unregistered one counts zero.</summary>
    public async ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, CancellationToken cancellationToken)
    {
        IReadOnlyList<SwarmCounts> counts = await swarms.ScrapeAsync(infoHashes, cancellationToken).ConfigureAwait(false);
        if (!options.Closed)
        {
            return counts;
        }

        var visible = new SwarmCounts[counts.Count];
        for (int i = 0; i < visible.Length; i++)
        {
            visible[i] = await registered.ContainsAsync(infoHashes[i], cancellationToken).ConfigureAwait(false) ? counts[i] : default;
        }

        return visible;
    }
}
