using Shoal.Discovery.Trackers;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// One validated announce, as the swarm store sees it whatever the transport (HTTP or UDP).
/// </summary>
/// <param name="InfoHash">The swarm.</param>
/// <param name="Peer">Where the announcing peer listens: its source address and the port it gave.</param>
/// <param name="IsSeeder">Whether it has everything (<c>left</c> is 0).</param>
/// <param name="Event">started, completed, stopped or none.</param>
/// <param name="NumWant">How many peers to return, already capped by the tracker.</param>
/// <param name="Families">Which address families the answer may carry.</param>
/// <param name="AsPublic">
/// Admitted as a public swarm from this instance's memory: a store shared with other instances, where a
/// group may have claimed the swarm a moment ago, checks that in the announce itself and answers
/// <see cref="AnnounceAnswer.GroupClaimed"/> instead of recording the peer.
/// </param>
public readonly record struct PeerAnnouncement(
    InfoHashKey InfoHash,
    PeerAddress Peer,
    bool IsSeeder,
    AnnounceEvent Event,
    int NumWant,
    PeerFamilies Families,
    bool AsPublic = false);
