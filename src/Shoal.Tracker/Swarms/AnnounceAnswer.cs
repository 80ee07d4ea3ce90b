using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// What a swarm returns to an announce: its counts and a random sample of other peers, already in
/// compact form (6 bytes per IPv4 peer, BEP 23; 18 per IPv6 peer, BEP 7).
/// </summary>
public sealed record AnnounceAnswer(SwarmCounts Counts, ReadOnlyMemory<byte> Peers4, ReadOnlyMemory<byte> Peers6)
{
    public int PeerCount => (Peers4.Length / CompactInfo.IPv4PeerLength) + (Peers6.Length / CompactInfo.IPv6PeerLength);
}
