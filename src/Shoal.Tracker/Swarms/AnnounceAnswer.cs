using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// What a swarm returns to an announce: its counts and a random sample of other peers, already in
/// compact form (6 bytes per IPv4 peer, BEP 23; 18 per IPv6 peer, BEP 7); or, for a new peer the
/// store has no room for (<see cref="PeerCaps"/>), the <see cref="Refusal"/> alone.
/// </summary>
public readonly record struct AnnounceAnswer(SwarmCounts Counts, ReadOnlyMemory<byte> Peers4, ReadOnlyMemory<byte> Peers6)
{
    public int PeerCount => (Peers4.Length / CompactInfo.IPv4PeerLength) + (Peers6.Length / CompactInfo.IPv6PeerLength);

    /// <summary>Why the peer was not recorded (a BEP 3 <c>failure reason</c>); null when it was.</summary>
    public string? Refusal { get; init; }

    /// <summary>Not recorded: the announce came <see cref="PeerAnnouncement.AsPublic"/>, and a group has claimed the swarm.</summary>
    public bool GroupClaimed { get; init; }

    public static AnnounceAnswer Refused(string reason) => new(default, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty) { Refusal = reason };
}
