using System.Collections.Concurrent;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// Who may announce or scrape a swarm (BEP 27 private torrents shared into groups), without a database
/// query for a public swarm. Every swarm a group has claimed (<c>swarm_claims</c>, which never go back
/// to public) is held here: loaded at start, added before a share is written. Only those swarms ask the
/// store about membership, on every request, so a member who leaves or is removed is refused from that
/// moment. When one instance owns the store (SQLite) the set is complete and a swarm outside it is
/// public. When several instances share PostgreSQL a file shared on another instance is not in this
/// one's set yet, so the swarm store's announce statement checks the claim in the same round trip
/// (<see cref="PeerAnnouncement.AsPublic"/>) and the swarm is learnt from its refusal; scrapes ask the
/// store for every swarm there.
/// </summary>
internal sealed class GroupSwarms
{
    public const string NotMember = "this torrent belongs to a private group: announce over HTTP to /announce/PASSKEY with a member's passkey (log in to get yours)";
    public const string Stopped = "this torrent is no longer shared by its group";

    private readonly ConcurrentDictionary<InfoHashKey, bool> _claimed;
    private readonly IAccountStore _accounts;
    private readonly TimeProvider _time;

    private GroupSwarms(IAccountStore accounts, TimeProvider time, bool complete, IEnumerable<InfoHashKey> claimed)
    {
        _accounts = accounts;
        _time = time;
        IsComplete = complete;
        _claimed = new(claimed.Select(swarm => KeyValuePair.Create(swarm, true)));
    }

    /// <summary>Whether every group swarm is in memory: this instance alone writes the store.</summary>
    public bool IsComplete { get; }

    /// <summary>The group swarms held in memory.</summary>
    public int Count => _claimed.Count;

    /// <summary>Loads every swarm a group has claimed; <paramref name="complete"/> when no other instance shares the store.</summary>
    public static async Task<GroupSwarms> LoadAsync(IAccountStore accounts, TimeProvider time, bool complete, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        IReadOnlyList<InfoHashKey> claimed = await accounts.GroupSwarmsAsync(cancellationToken).ConfigureAwait(false);
        return new GroupSwarms(accounts, time, complete, claimed);
    }

    /// <summary>Whether the swarm is known as a group's; when not, and <see cref="IsComplete"/>, it is public.</summary>
    public bool IsClaimed(InfoHashKey swarm) => _claimed.ContainsKey(swarm);

    /// <summary>Public without a query for a swarm outside the set (an announce on a shared store is checked again by its statement); the store's answer otherwise.</summary>
    public ValueTask<SwarmAccess> AccessAsync(InfoHashKey swarm, string? passkey, CancellationToken cancellationToken) =>
        IsClaimed(swarm) ? AskAsync(swarm, passkey, cancellationToken) : ValueTask.FromResult(SwarmAccess.Public);

    /// <summary>For a scrape, which no statement checks again: on a shared store every swarm asks the store.</summary>
    public ValueTask<SwarmAccess> ScrapeAccessAsync(InfoHashKey swarm, string? passkey, CancellationToken cancellationToken) =>
        IsComplete ? AccessAsync(swarm, passkey, cancellationToken) : AskAsync(swarm, passkey, cancellationToken);

    /// <summary>
    /// The swarms are about to become a group file's: held from now, before the share is written, so no
    /// announce between the write and its return is answered as public. A share refused because the swarm
    /// is public leaves it held, which costs that swarm's announces a query but never lets a group's through.
    /// </summary>
    public void Claim(IEnumerable<InfoHashKey> swarms)
    {
        foreach (InfoHashKey swarm in swarms)
        {
            _claimed[swarm] = true;
        }
    }

    /// <summary>The failure reason for a refused access.</summary>
    public static string Refusal(SwarmAccess access) => access == SwarmAccess.Stopped ? Stopped : NotMember;

    private async ValueTask<SwarmAccess> AskAsync(InfoHashKey swarm, string? passkey, CancellationToken cancellationToken)
    {
        byte[] passkeyHash = passkey is null ? [] : SessionSecrets.Hash(passkey);
        return await _accounts.SwarmAccessAsync(swarm, passkeyHash, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }
}
