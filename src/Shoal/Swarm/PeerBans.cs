using System.Net;

namespace Shoal.Swarm;

/// <summary>
/// The peers a torrent refuses. A ban is for one <see cref="PeerKey"/>, so that neighbours behind the cheat's
/// router keep their place; once <see cref="PeersBeforeAddressBan"/> peers of one address are banned, the
/// whole address is, so that a cheat cannot start again under a new peer id for ever.
/// </summary>
/// <remarks>
/// Every ban takes proof (a failed piece), and at most <see cref="MaxBans"/> peers and as many addresses are
/// banned, the oldest ban lifted first, as <see cref="SmartBan{TPeer}"/> does: a peer with many addresses
/// cannot grow this without end.
/// </remarks>
internal sealed class PeerBans
{
    public const int PeersBeforeAddressBan = 3;
    public const int MaxBans = 4096;

    private readonly HashSet<PeerKey> _peers = [];
    private readonly Queue<PeerKey> _peerOrder = new();
    private readonly Dictionary<IPAddress, int> _peersPerAddress = [];
    private readonly HashSet<IPAddress> _addresses = [];
    private readonly Queue<IPAddress> _addressOrder = new();

    public bool IsBanned(PeerKey peer) => _addresses.Contains(peer.Address) || _peers.Contains(peer);

    public bool IsAddressBanned(IPAddress address) => _addresses.Contains(address);

    /// <summary>Bans the peer; true when that made its address banned too.</summary>
    public bool Ban(PeerKey peer)
    {
        if (!_peers.Add(peer))
        {
            return false;
        }

        _peerOrder.Enqueue(peer);
        if (_peerOrder.Count > MaxBans)
        {
            Lift(_peerOrder.Dequeue());
        }

        int banned = _peersPerAddress[peer.Address] = _peersPerAddress.GetValueOrDefault(peer.Address) + 1;
        if (banned < PeersBeforeAddressBan || !_addresses.Add(peer.Address))
        {
            return false;
        }

        _addressOrder.Enqueue(peer.Address);
        if (_addressOrder.Count > MaxBans)
        {
            _addresses.Remove(_addressOrder.Dequeue());
        }

        return true;
    }

    private void Lift(PeerKey peer)
    {
        _peers.Remove(peer);
        if (--_peersPerAddress[peer.Address] == 0)
        {
            _peersPerAddress.Remove(peer.Address);
        }
    }
}
