using System.Net;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Net.Encryption;

namespace Shoal.Session;

/// <summary>
/// The session's torrents and the magnets whose metadata is being fetched, by info-hash; peers found for an
/// info-hash (by the DHT, local discovery) reach both through <see cref="AddPeers"/>. Each wire hash is also known by
/// its MSE <c>HASH('req2', SKEY)</c>, which is all an encrypted incoming connection says of its torrent.
/// </summary>
internal sealed class SessionTorrents
{
    private readonly Dictionary<InfoHash, TorrentRuntime> _torrents = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, InfoHash> _byReq2 = new(ByteMemoryComparer.Instance);
    private readonly Dictionary<InfoHash, MagnetFetch> _fetches = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<TorrentRuntime> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _torrents.Values.Distinct()];
            }
        }
    }

    /// <summary>Adds a torrent under each hash peers may know it by (a hybrid's two); false when one is taken already.</summary>
    public bool TryAdd(TorrentRuntime runtime)
    {
        IReadOnlyList<InfoHash> hashes = runtime.Torrent.InfoHashes.WireHashes;
        lock (_lock)
        {
            if (hashes.Any(_torrents.ContainsKey))
            {
                return false;
            }

            foreach (InfoHash hash in hashes)
            {
                _torrents[hash] = runtime;
                _byReq2[MseHandshake.Req2Hash(hash)] = hash;
            }

            return true;
        }
    }

    public void Remove(InfoHash infoHash)
    {
        lock (_lock)
        {
            _torrents.Remove(infoHash);
            _byReq2.Remove(MseHandshake.Req2Hash(infoHash));
        }
    }

    /// <summary>Every torrent, forgotten.</summary>
    public TorrentRuntime[] TakeAll()
    {
        lock (_lock)
        {
            TorrentRuntime[] torrents = [.. _torrents.Values.Distinct()];
            _torrents.Clear();
            _byReq2.Clear();
            return torrents;
        }
    }

    /// <summary>The running torrent with this info-hash (as peers announce it), if any.</summary>
    public TorrentRuntime? Find(InfoHash infoHash)
    {
        lock (_lock)
        {
            return _torrents.GetValueOrDefault(infoHash);
        }
    }

    /// <summary>The wire hash of the running torrent whose MSE <c>HASH('req2', SKEY)</c> this is, if any.</summary>
    public InfoHash? FindByReq2(ReadOnlySpan<byte> req2Hash)
    {
        lock (_lock)
        {
            return _byReq2.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(req2Hash, out InfoHash? hash) ? hash : null;
        }
    }

    public bool IsSeeding(InfoHash infoHash) => Find(infoHash) is { Completion.IsCompleted: true };

    public void AddFetch(InfoHash infoHash, MagnetFetch fetch)
    {
        lock (_lock)
        {
            _fetches[infoHash] = fetch;
        }
    }

    public void RemoveFetch(InfoHash infoHash)
    {
        lock (_lock)
        {
            _fetches.Remove(infoHash);
        }
    }

    /// <summary>Peers found for <paramref name="infoHash"/> go to its torrent, or to its magnet link's metadata fetch.</summary>
    public void AddPeers(InfoHash infoHash, IReadOnlyList<IPEndPoint> peers, PeerSource source)
    {
        if (peers.Count == 0)
        {
            return;
        }

        TorrentRuntime? runtime;
        MagnetFetch? fetch;
        lock (_lock)
        {
            runtime = _torrents.GetValueOrDefault(infoHash);
            fetch = _fetches.GetValueOrDefault(infoHash);
        }

        runtime?.Connections.AddPeers(peers, source);
        fetch?.AddPeers(peers, source);
    }
}
