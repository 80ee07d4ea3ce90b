using System.Data.Common;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Sql;

/// <summary>
/// A swarm is the public index's or a group's, for good (a group file no longer shared stays its group's):
/// registering and sharing each claim their torrent's swarms in their own transaction, and the primary key
/// of <c>swarm_claims</c> makes whichever comes second see the first's claim, on SQLite (one writer at a
/// time) and PostgreSQL (an insert of a key waits for a concurrent one to commit or roll back) alike.
/// </summary>
internal static class SwarmClaims
{
    // DO UPDATE rather than DO NOTHING, so RETURNING gives the row either way: the claim that stands.
    private const string ClaimSql = """
        INSERT INTO swarm_claims (info_hash, is_public) VALUES (@swarm, @public)
        ON CONFLICT (info_hash) DO UPDATE SET is_public = swarm_claims.is_public
        RETURNING is_public
        """;

    /// <summary>Claims the swarms for the public index (or a group); false when one is already the other's.</summary>
    public static async Task<bool> TryClaimAsync(DbConnection connection, DbTransaction transaction, IEnumerable<InfoHashKey> swarms, bool isPublic, CancellationToken cancellationToken)
    {
        // In one order, so two transactions claiming the same swarms cannot each wait for the other.
        foreach (InfoHashKey swarm in swarms.OrderBy(swarm => swarm.ToHex(), StringComparer.Ordinal))
        {
            long? standing = await DbCommands.ScalarAsync(connection, transaction, ClaimSql, cancellationToken, ("swarm", swarm.ToArray()), ("public", isPublic)).ConfigureAwait(false);
            if (standing != (isPublic ? 1 : 0))
            {
                return false;
            }
        }

        return true;
    }
}
