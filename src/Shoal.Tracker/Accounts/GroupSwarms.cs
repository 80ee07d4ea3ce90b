using System.Collections.Concurrent;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// Who may announce or scrape a swarm (BEP 27 private torrents shared into groups). For a group file
/// membership is asked of the store on every request, so a member who leaves or is removed is refused
/// from that moment, on every instance. A swarm found public is remembered as such for two seconds,
/// so public announces cost no query each; a file shared on this instance is known at once, one
/// shared on another instance sharing the database within those two seconds.
/// </summary>
internal sealed class GroupSwarms(IAccountStore accounts, TimeProvider time)
{
    public const string NotMember = "this torrent belongs to a private group: announce over HTTP to /announce/PASSKEY with a member's passkey (log in to get yours)";
    public const string Stopped = "this torrent is no longer shared by its group";

    private static readonly TimeSpan PublicLifetime = TimeSpan.FromSeconds(2);
    private const int MaxPublic = 100_000;

    private readonly ConcurrentDictionary<InfoHashKey, DateTimeOffset> _publicUntil = new();

    public async ValueTask<SwarmAccess> AccessAsync(InfoHashKey swarm, string? passkey, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_publicUntil.TryGetValue(swarm, out DateTimeOffset until) && until > now)
        {
            return SwarmAccess.Public;
        }

        byte[] passkeyHash = passkey is null ? [] : SessionSecrets.Hash(passkey);
        SwarmAccess access = await accounts.SwarmAccessAsync(swarm, passkeyHash, now, cancellationToken).ConfigureAwait(false);
        if (access == SwarmAccess.Public)
        {
            if (_publicUntil.Count >= MaxPublic)
            {
                // Strangers can ask for any number of random hashes: forget rather than grow.
                _publicUntil.Clear();
            }

            _publicUntil[swarm] = now + PublicLifetime;
        }

        return access;
    }

    /// <summary>The swarms now belong to a group file: no longer public from this moment.</summary>
    public void Claim(IEnumerable<InfoHashKey> swarms)
    {
        foreach (InfoHashKey swarm in swarms)
        {
            _publicUntil.TryRemove(swarm, out _);
        }
    }

    /// <summary>The failure reason for a refused access.</summary>
    public static string Refusal(SwarmAccess access) => access == SwarmAccess.Stopped ? Stopped : NotMember;
}
