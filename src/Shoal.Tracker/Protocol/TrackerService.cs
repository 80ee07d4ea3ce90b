using Shoal.Discovery.Trackers;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Protocol;

/// <summary>
/// What the tracker answers, whatever the transport: it applies group membership (a passkey comes only
/// over HTTP, <c>/announce/PASSKEY</c>), closed mode and the <c>numwant</c> cap, then asks the swarm
/// store, which may refuse a new peer at its caps. HTTP and UDP only decode requests and encode answers
/// around it.
/// </summary>
internal sealed class TrackerService(TrackerOptions options, AnnounceIntervals intervals, ISwarmStore swarms, RegisteredSwarms registered, GroupSwarms groups)
{
    public const string NotRegistered = "this tracker is closed: register the torrent first (POST /api/torrents)";

    public int IntervalSeconds => intervals.IntervalSeconds;

    public int MinIntervalSeconds => intervals.MinIntervalSeconds;

    public ValueTask<AnnounceOutcome> AnnounceAsync(
        InfoHashKey infoHash, string? passkey, PeerAddress peer, long left, AnnounceEvent announceEvent, int? numWant, PeerFamilies families, CancellationToken cancellationToken)
    {
        if (options.Closed || groups.IsClaimed(infoHash))
        {
            return CheckedAsync(infoHash, passkey, peer, left, announceEvent, numWant, families, cancellationToken);
        }

        // A public swarm on an open tracker asks nothing: when the store answers at once too (the
        // in-memory swarms), so does this, without an async step per announce.
        ValueTask<AnnounceAnswer> answered = swarms.AnnounceAsync(Announcement(infoHash, peer, left, announceEvent, numWant, families, SwarmAccess.Public), cancellationToken);
        if (!answered.IsCompletedSuccessfully)
        {
            return AnsweredAsync(answered, infoHash, passkey, peer, left, announceEvent, numWant, families, cancellationToken);
        }

        // A value task's result is read once.
        AnnounceAnswer answer = answered.Result;
        return answer.GroupClaimed
            ? AnsweredAsync(ValueTask.FromResult(answer), infoHash, passkey, peer, left, announceEvent, numWant, families, cancellationToken)
            : ValueTask.FromResult(Outcome(answer));
    }

    private async ValueTask<AnnounceOutcome> CheckedAsync(
        InfoHashKey infoHash, string? passkey, PeerAddress peer, long left, AnnounceEvent announceEvent, int? numWant, PeerFamilies families, CancellationToken cancellationToken)
    {
        SwarmAccess access = await groups.AccessAsync(infoHash, passkey, cancellationToken).ConfigureAwait(false);
        if (access is SwarmAccess.NotMember or SwarmAccess.Stopped)
        {
            return AnnounceOutcome.Refused(GroupSwarms.Refusal(access));
        }

        if (access == SwarmAccess.Public && options.Closed && !await registered.ContainsAsync(infoHash, cancellationToken).ConfigureAwait(false))
        {
            return AnnounceOutcome.Refused(NotRegistered);
        }

        ValueTask<AnnounceAnswer> answered = swarms.AnnounceAsync(Announcement(infoHash, peer, left, announceEvent, numWant, families, access), cancellationToken);
        return await AnsweredAsync(answered, infoHash, passkey, peer, left, announceEvent, numWant, families, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<AnnounceOutcome> AnsweredAsync(
        ValueTask<AnnounceAnswer> answered, InfoHashKey infoHash, string? passkey, PeerAddress peer, long left, AnnounceEvent announceEvent, int? numWant, PeerFamilies families, CancellationToken cancellationToken)
    {
        AnnounceAnswer answer = await answered.ConfigureAwait(false);
        if (answer.GroupClaimed)
        {
            // Shared on another instance since this one loaded its group swarms: learnt now, and asked as a group's.
            groups.Claim([infoHash]);
            return await CheckedAsync(infoHash, passkey, peer, left, announceEvent, numWant, families, cancellationToken).ConfigureAwait(false);
        }

        return Outcome(answer);
    }

    private PeerAnnouncement Announcement(InfoHashKey infoHash, PeerAddress peer, long left, AnnounceEvent announceEvent, int? numWant, PeerFamilies families, SwarmAccess access)
    {
        int wanted = announceEvent == AnnounceEvent.Stopped ? 0 : Math.Min(numWant ?? options.DefaultNumWant, options.MaxNumWant);
        return new PeerAnnouncement(infoHash, peer, left == 0 && announceEvent != AnnounceEvent.Paused, announceEvent, wanted, families, access == SwarmAccess.Public);
    }

    private static AnnounceOutcome Outcome(AnnounceAnswer answer) =>
        answer.Refusal is { } refusal ? AnnounceOutcome.Refused(refusal) : new AnnounceOutcome(answer, null);

    /// <summary>
    /// The counts of each swarm asked for; a group file's count zero unless the passkey is a member's,
    /// and in closed mode an unregistered swarm's too.
    /// </summary>
    public async ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, string? passkey, CancellationToken cancellationToken)
    {
        IReadOnlyList<SwarmCounts> counts = await swarms.ScrapeAsync(infoHashes, cancellationToken).ConfigureAwait(false);
        var visible = new SwarmCounts[counts.Count];
        for (int i = 0; i < visible.Length; i++)
        {
            SwarmAccess access = await groups.ScrapeAccessAsync(infoHashes[i], passkey, cancellationToken).ConfigureAwait(false);
            bool shown = access == SwarmAccess.Member
                || (access == SwarmAccess.Public && (!options.Closed || await registered.ContainsAsync(infoHashes[i], cancellationToken).ConfigureAwait(false)));
            visible[i] = shown ? counts[i] : default;
        }

        return visible;
    }
}
