namespace Shoal.Tracker.Swarms;

/// <summary>
/// What <see cref="SwarmTable"/> answers an announce: the swarm's counts after it (finished downloads
/// included) and the sampled peers in compact form; or, for a new peer beyond a cap, only the refusal.
/// </summary>
internal readonly record struct TableAnswer(int Seeders, int Leechers, long Completed, byte[] Peers4, byte[] Peers6, string? Refusal = null)
{
    public static TableAnswer Refused(string reason) => new(0, 0, 0, [], [], reason);
}
