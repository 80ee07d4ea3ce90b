namespace Shoal.Session;

/// <summary>What found the peers handed to a torrent, or to a magnet's metadata fetch.</summary>
internal enum PeerSource
{
    /// <summary>Given with the torrent (<see cref="AddTorrentOptions.Peers"/>, the peers its magnet's fetch met) or later through <see cref="TorrentHandle.AddPeers"/>.</summary>
    Given,

    /// <summary>A magnet link's x.pe.</summary>
    Magnet,

    Tracker,

    /// <summary>BEP 5.</summary>
    Dht,

    /// <summary>BEP 14.</summary>
    LocalDiscovery,

    /// <summary>Peer exchange, BEP 11.</summary>
    Pex,
}
