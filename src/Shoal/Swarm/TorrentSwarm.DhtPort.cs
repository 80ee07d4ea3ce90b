using System.Net;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>The most DHT nodes kept waiting for the session to take: one per peer, and never more than this.</summary>
    private const int MaxDhtNodesHeard = 64;

    private readonly List<IPEndPoint> _dhtNodesHeard = [];

    /// <summary>
    /// Our DHT node's UDP port for PORT messages (BEP 5), 0 without a DHT. It starts as the settings' and the session
    /// changes it when the router maps the port.
    /// </summary>
    public int DhtPort { get; set; }

    /// <summary>DHT nodes peers told us of in PORT messages (BEP 5) since the last call, for the session's DHT to ping.</summary>
    public IReadOnlyList<IPEndPoint> TakeDhtNodes()
    {
        IPEndPoint[] nodes = [.. _dhtNodesHeard];
        _dhtNodesHeard.Clear();
        return nodes;
    }

    // BEP 5: ping the node at the peer's address and the port it gave. Without a DHT of our own there is nothing to ping
    // from; a peer that repeats its port is heard once, so one connection cannot make us ping in a loop.
    private void OnPort(SwarmPeer peer, ushort port)
    {
        if (DhtPort == 0 || port == 0 || peer.DhtPort == port || _dhtNodesHeard.Count >= MaxDhtNodesHeard)
        {
            return;
        }

        peer.DhtPort = port;
        _dhtNodesHeard.Add(new IPEndPoint(peer.Address, port));
    }
}
