using System.Net;
using System.Text;

namespace Shoal.Swarm;

/// <summary>
/// One peer as bans see it: its address and its peer id. Peers behind one home router share an address, so
/// the address alone would punish every neighbour of a cheat.
/// </summary>
/// <param name="Address">The peer's address, IPv4-mapped addresses unmapped.</param>
/// <param name="PeerId">The peer id's bytes, one char each (Latin-1), so that equality is byte equality.</param>
public readonly record struct PeerKey(IPAddress Address, string PeerId)
{
    public static PeerKey Of(IPAddress address, ReadOnlySpan<byte> peerId) => new(address, Encoding.Latin1.GetString(peerId));
}
