using System.Net;

namespace Shoal.Swarm;

/// <summary>
/// The peers a torrent refuses. A ban is for one <see cref="PeerKey"/>, so that neighbours behind the cheat's
/// router keep their place; once <see cref="PeersBeforeAddressBan"/> peers of one address are banned, the
/// whole address is, so that a cheat cannot start again under a new peer id for ever.
/// </summary>
/// <remarks>Every ban takes proof (a failed piece), so what a peer can make this hold is bounded by what it sends.</remarks>
internal sealed class PeerBans
{
    public const int PeersBeforeAddressBan = 3;

    private readonly HashSet<PeerKey> _peers = [];
    private readonly Dictionary<IPAddress, int> _peersPerAddress = [];
    private readonly HashSet<IPAddress> _addresses = [];

    public bool IsBanned(PeerKey peer) => _addresses.Contains(peer.Address) || _peers.Contains(peer);

    public bool IsAddressBanned(IPAddress address) => _addresses.Contains(address);

    /// <summary>Bans the peer; true when that made its address banned too.</summary>
    public bool Ban(PeerKey peer)
    {
        if (!_peers.Add(peer))
        {
            return false;
        }

        int banned = _peersPerAddress[peer.Address] = _peersPerAddress.GetValueOrDefault(peer.Address) + 1;
        return banned >= PeersBeforeAddressBan && _addresses.Add(peer.Address);
    }
}
