using System.Text;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    // The web seeds ever added, by the key their blocks carry: one per URL of the torrent's url-list.
    private readonly Dictionary<PeerKey, string> _webSeeds = [];
    private readonly HashSet<string> _discardedWebSeeds = new(StringComparer.Ordinal);

    /// <summary>
    /// BEP 19: adds a web seed as a peer that has every piece and never chokes. The swarm writes its requests
    /// to <paramref name="link"/> like any peer's, and the link answers with piece messages through
    /// <see cref="OnMessage"/>. Null when there is nothing to fetch or the URL was discarded.
    /// </summary>
    public SwarmPeer? AddWebSeed(IPeerLink link, string url)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (HasNothingToFetch || _discardedWebSeeds.Contains(url))
        {
            return null;
        }

        var peer = new SwarmPeer(_nextPeerId++, link, Encoding.UTF8.GetBytes(url), default, _torrent.PieceCount, Now, url)
        {
            QueueDepth = Math.Min(_settings.InitialQueueDepth, _settings.WebSeedRequestQueue),
            PeerRequestQueue = _settings.WebSeedRequestQueue,
            PeerChoking = false,
            HasPieceInformation = true,
        };
        peer.Pieces.SetAll();
        _webSeeds[peer.Key] = url;
        _peers.Add(peer);
        _picker.AddAvailability(peer.Pieces, +1);
        UpdateInterest(peer);
        FlushOutput();
        return peer;
    }

    /// <summary>BEP 19: whether the web seed served data that failed its check; it is not used again by this swarm.</summary>
    public bool IsWebSeedDiscarded(string url) => _discardedWebSeeds.Contains(url);

    /// <summary>
    /// A web seed serves the same bytes every time, so one piece it alone sent that fails its check convicts it
    /// (BEP 19: close the connection and discard the URL); a peer gets a second chance, a web seed needs none.
    /// </summary>
    private void BanLoneWebSeed(PartialPiece partial)
    {
        PeerKey? sender = partial.Senders[0];
        if (sender is { } key && _webSeeds.ContainsKey(key) && partial.Senders.All(s => s == key))
        {
            DiscardWebSeed(key, "a piece it alone sent fails its hash check");
        }
    }

    /// <summary>Discards the web seed with this key and closes it; false when the key is a peer's.</summary>
    private bool DiscardWebSeed(PeerKey key, string reason)
    {
        if (!_webSeeds.TryGetValue(key, out string? url))
        {
            return false;
        }

        _discardedWebSeeds.Add(url);
        foreach (SwarmPeer peer in _peers.Where(p => p.Key == key).ToArray())
        {
            Disconnect(peer, $"web seed discarded: {reason}");
        }

        return true;
    }
}
