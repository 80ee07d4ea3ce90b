using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>A torrent's state and transfer figures at a moment; <see cref="Checked"/> counts pieces checked while <see cref="TorrentState.Checking"/>.</summary>
public sealed record TorrentStatus(string Name, TorrentState State, SwarmStatus Swarm, int Checked, string? Error)
{
    /// <summary>The torrent's trackers, tier by tier.</summary>
    public IReadOnlyList<TrackerStatus> Trackers { get; init; } = [];

    /// <summary>The torrent's web seeds (BEP 19); those connected are in the swarm's peers too.</summary>
    public IReadOnlyList<WebSeedStatus> WebSeeds { get; init; } = [];
}
