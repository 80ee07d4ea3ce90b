using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Peers announced to this node (BEP 5 announce_peer), expiring after 30 minutes and bounded in size.</summary>
internal sealed class PeerStore(int maxInfoHashes, int maxPeersPerInfoHash, int maxPeers)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly Dictionary<NodeId, Dictionary<IPEndPoint, DateTimeOffset>> _swarms = [];

    public int Count { get; private set; }

    public int InfoHashCount => _swarms.Count;

    /// <summary>Stores or refreshes a peer; a full store drops new peers rather than evicting announced ones.</summary>
    public void Add(NodeId infoHash, IPEndPoint peer, DateTimeOffset now)
    {
        if (!_swarms.TryGetValue(infoHash, out var peers))
        {
            if (_swarms.Count >= maxInfoHashes || Count >= maxPeers)
            {
                return;
            }

            peers = [];
            _swarms.Add(infoHash, peers);
        }

        if (peers.ContainsKey(peer))
        {
            peers[peer] = now + Lifetime;
        }
        else if (peers.Count < maxPeersPerInfoHash && Count < maxPeers)
        {
            peers.Add(peer, now + Lifetime);
            Count++;
        }
    }

    public List<IPEndPoint> Get(NodeId infoHash, int max, DateTimeOffset now) =>
        _swarms.TryGetValue(infoHash, out var peers)
            ? [.. peers.Where(p => p.Value > now).Select(p => p.Key).Take(max)]
            : [];

    public void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (infoHash, peers) in _swarms)
        {
            foreach (var (peer, expires) in peers)
            {
                if (expires <= now)
                {
                    peers.Remove(peer);
                    Count--;
                }
            }

            if (peers.Count == 0)
            {
                _swarms.Remove(infoHash);
            }
        }
    }
}
