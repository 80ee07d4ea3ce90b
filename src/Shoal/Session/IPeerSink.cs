using System.Net;

namespace Shoal.Session;

/// <summary>
/// The one way in for peers of an info-hash, whatever found them: a torrent's <see cref="TorrentConnections"/>,
/// or a <see cref="MagnetFetch"/> before its torrent exists.
/// </summary>
internal interface IPeerSink
{
    void AddPeers(IEnumerable<IPEndPoint> peers, PeerSource source);
}
