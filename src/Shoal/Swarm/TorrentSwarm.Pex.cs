using System.Net;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>BEP 11: a peer hears from us at most once a minute.</summary>
    private static readonly TimeSpan PexInterval = TimeSpan.FromMinutes(1);

    /// <summary>BEP 11: at most 50 added peers per message.</summary>
    private const int MaxPexAdded = 50;

    /// <summary>The most peers taken from one incoming message, and kept waiting for the session to dial.</summary>
    private const int MaxPexReceived = 200;

    private readonly List<IPEndPoint> _discovered = [];

    /// <summary>BEP 27: a private torrent's peers come from its trackers only.</summary>
    private bool PexEnabled => !_torrent.IsPrivate;

    /// <summary>Peers other peers told us about (BEP 11) since the last call, for the session to dial.</summary>
    public IReadOnlyList<IPEndPoint> TakeDiscoveredPeers()
    {
        IPEndPoint[] peers = [.. _discovered];
        _discovered.Clear();
        return peers;
    }

    private void OnPexMessage(SwarmPeer peer, ReadOnlyMemory<byte> payload)
    {
        if (!PexEnabled || peer.PexId == 0)
        {
            return;
        }

        PexMessage message = PexMessage.Parse(payload, MaxPexReceived);
        foreach (PexPeer added in message.Added)
        {
            if (_discovered.Count < MaxPexReceived && PexAddressFilter.Accepts(added.EndPoint, peer.Address))
            {
                _discovered.Add(added.EndPoint);
                NoteIntroducer(peer, added);
            }
        }
    }

    /// <summary>Tells each peer which of our peers (those whose listen port we know) came and went since we last told it.</summary>
    private void SendPex(TimeSpan now)
    {
        if (!PexEnabled)
        {
            return;
        }

        Dictionary<IPEndPoint, SwarmPeer> reachable = [];
        foreach (SwarmPeer other in _peers)
        {
            if (other.ListenPort is { } port)
            {
                reachable.TryAdd(new IPEndPoint(other.Address, port), other);
            }
        }

        foreach (SwarmPeer peer in _peers)
        {
            if (peer.PexId == 0 || peer.LastPexSent is { } last && now - last < PexInterval)
            {
                continue;
            }

            PexPeer[] added = [.. reachable
                .Where(pair => pair.Value != peer && !peer.PexTold.Contains(pair.Key))
                .Take(MaxPexAdded)
                .Select(pair => new PexPeer(pair.Key, PexFlags(pair.Value)))];
            IPEndPoint[] dropped = [.. peer.PexTold.Where(endPoint => !reachable.ContainsKey(endPoint)).Take(MaxPexAdded)];
            if (added.Length == 0 && dropped.Length == 0)
            {
                continue;
            }

            peer.LastPexSent = now;
            peer.PexTold.UnionWith(added.Select(p => p.EndPoint));
            peer.PexTold.ExceptWith(dropped);
            PeerMessageWriter.WriteExtended(Output(peer), peer.PexId, new PexMessage { Added = added, Dropped = dropped }.Encode());
        }
    }

    /// <summary>
    /// What we know of a peer, for BEP 11's <c>added.f</c>: a peer connected to us over uTP supports it, one that chose RC4
    /// prefers encryption, one that offered ut_holepunch takes BEP 55 messages.
    /// </summary>
    private static byte PexFlags(SwarmPeer peer) => (byte)(
        (peer.IsSeed ? PexPeer.SeedFlag : 0)
        | (peer.HolepunchId != 0 ? PexPeer.HolepunchFlag : 0)
        | (peer.Transport == PeerTransport.Utp ? PexPeer.UtpFlag : 0)
        | (peer.IsEncrypted ? PexPeer.EncryptionFlag : 0));
}
