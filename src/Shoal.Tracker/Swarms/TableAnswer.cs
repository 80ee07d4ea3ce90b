namespace Shoal.Tracker.Swarms;

/// <summary>
/// What <see cref="SwarmTable"/> answers an announce: whether it counts as a finished download, the swarm's
/// counts after it and the sampled peers in compact form; or, for a new peer beyond a cap, only the refusal.
/// </summary>
internal readonly record struct TableAnswer(bool Finished, int Seeders, int Leechers, byte[] Peers4, byte[] Peers6, string? Refusal = null)
{
    public static TableAnswer Refused(string reason) => new(false, 0, 0, [], [], reason);
}
