namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// The advisory lock keys tracker instances coordinate with, kept in one place so they stay distinct.
/// Advisory locks are per database, so only other users of the tracker's own database could collide.
/// </summary>
internal static class PostgresAdvisoryLocks
{
    /// <summary>Held while migrating, so instances starting together apply each migration once.</summary>
    public const long Migration = 0x5368_6F61_6C00_0001;

    /// <summary>Held while sweeping expired peers, so one instance sweeps at a time and the others skip.</summary>
    public const long Sweep = 0x5368_6F61_6C00_0002;
}
