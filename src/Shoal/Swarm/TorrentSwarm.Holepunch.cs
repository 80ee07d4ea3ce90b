using System.Net;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// BEP 55 hole punching. As a relay we answer a peer's rendezvous by sending connect to it and to the target, each
/// naming the other, or the error the BEP lists. As an initiator we ask the peer that told us of a target by PEX
/// (BEP 11) for a rendezvous when the session could not dial it. Connects and errors we receive go to the session.
/// </summary>
public sealed partial class TorrentSwarm
{
    /// <summary>Rendezvous and connect messages taken from one peer per <see cref="HolepunchWindow"/>; more are ignored, so no peer makes us a traffic pump.</summary>
    private const int HolepunchMessagesPerWindow = 10;

    /// <summary>Targets whose introducer we remember, and targets we asked about; the most notices waiting for the session.</summary>
    private const int MaxHolepunchTargets = 1000;

    private const int MaxHolepunchNotices = 32;

    private static readonly TimeSpan HolepunchWindow = TimeSpan.FromMinutes(1);

    /// <summary>One rendezvous per target this often: a punch that failed is not worth repeating at once.</summary>
    private static readonly TimeSpan RendezvousInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long a target a relay refused (its error) is left alone.</summary>
    private static readonly TimeSpan RefusedTargetPause = TimeSpan.FromMinutes(15);

    private readonly Dictionary<IPEndPoint, int> _introducers = [];
    private readonly Dictionary<IPEndPoint, TimeSpan> _rendezvousPausedUntil = [];
    private readonly List<HolepunchNotice> _holepunchNotices = [];

    private bool HolepunchEnabled => PexEnabled;

    /// <summary>Connects to dial and errors to log that relays sent since the last call.</summary>
    public IReadOnlyList<HolepunchNotice> TakeHolepunchNotices()
    {
        HolepunchNotice[] notices = [.. _holepunchNotices];
        _holepunchNotices.Clear();
        return notices;
    }

    /// <summary>The connected peer listening at, or connected from, <paramref name="endPoint"/>.</summary>
    public SwarmPeer? PeerAt(IPEndPoint endPoint) => FindByEndPoint(IPv4Mapping.Unmap(endPoint));

    /// <summary>
    /// The session could not dial <paramref name="target"/>: asks the peer that told us of it for a rendezvous, when
    /// that peer is still connected and speaks ut_holepunch, the target said it does too, and we did not ask lately.
    /// Returns the relay asked, or null.
    /// </summary>
    public IPEndPoint? RequestHolepunch(IPEndPoint target)
    {
        target = IPv4Mapping.Unmap(target);
        TimeSpan now = Now;
        if (IsClosed || !HolepunchEnabled || !_introducers.TryGetValue(target, out int introducerId)
            || (_rendezvousPausedUntil.TryGetValue(target, out TimeSpan until) && now < until))
        {
            return null;
        }

        SwarmPeer? relay = _peers.Find(p => p.Id == introducerId && p.HolepunchId != 0);
        if (relay is null)
        {
            return null;
        }

        PauseRendezvous(target, now + RendezvousInterval);
        WriteHolepunch(relay, new HolepunchMessage(HolepunchMessageType.Rendezvous, target));
        FlushOutput();
        return relay.Link.Remote;
    }

    /// <summary>BEP 11 <c>added.f</c> 0x08: remembers who told us of a target that can be punched to.</summary>
    private void NoteIntroducer(SwarmPeer introducer, PexPeer added)
    {
        if (introducer.HolepunchId == 0 || (added.Flags & PexPeer.HolepunchFlag) == 0)
        {
            return;
        }

        IPEndPoint target = IPv4Mapping.Unmap(added.EndPoint);
        if (!_introducers.ContainsKey(target) && _introducers.Count >= MaxHolepunchTargets)
        {
            foreach (IPEndPoint gone in _introducers.Where(pair => !_peers.Exists(p => p.Id == pair.Value)).Select(pair => pair.Key).ToArray())
            {
                _introducers.Remove(gone);
            }

            if (_introducers.Count >= MaxHolepunchTargets)
            {
                return;
            }
        }

        _introducers[target] = introducer.Id;
    }

    private void OnHolepunchMessage(SwarmPeer peer, HolepunchMessage message)
    {
        // BEP 55: messages from a peer that did not offer ut_holepunch are ignored silently.
        if (!HolepunchEnabled || peer.HolepunchId == 0 || !TakeHolepunchAllowance(peer))
        {
            return;
        }

        IPEndPoint endPoint = IPv4Mapping.Unmap(message.EndPoint);
        switch (message.Type)
        {
            case HolepunchMessageType.Rendezvous:
                Relay(peer, endPoint);
                break;
            case HolepunchMessageType.Connect:
                // BEP 55: a target already connected to the initiator ignores the connect silently. The address
                // filter of PEX applies too, so a relay cannot point our dials at the hosts of our own network.
                if (FindByEndPoint(endPoint) is null && PexAddressFilter.Accepts(endPoint, peer.Address) && _holepunchNotices.Count < MaxHolepunchNotices)
                {
                    _holepunchNotices.Add(new HolepunchNotice(message with { EndPoint = endPoint }, peer.Link.Remote));
                }

                break;
            case HolepunchMessageType.Error:
                PauseRendezvous(endPoint, Now + RefusedTargetPause);
                if (_holepunchNotices.Count < MaxHolepunchNotices)
                {
                    _holepunchNotices.Add(new HolepunchNotice(message with { EndPoint = endPoint }, peer.Link.Remote));
                }

                break;
        }
    }

    /// <summary>BEP 55's relay: connect to both, each told the other's endpoint, or an error naming the endpoint asked for.</summary>
    private void Relay(SwarmPeer initiator, IPEndPoint target)
    {
        HolepunchError error = HolepunchError.None;
        SwarmPeer? found = null;
        if (target.Port == 0 || !PexAddressFilter.Accepts(target, initiator.Address))
        {
            error = HolepunchError.NoSuchPeer;
        }
        else if (IsEndPointOf(initiator, target) || IsOurs(initiator, target))
        {
            error = HolepunchError.NoSelf;
        }
        else if ((found = FindByEndPoint(target)) is null)
        {
            error = HolepunchError.NotConnected;
        }
        else if (found.HolepunchId == 0)
        {
            error = HolepunchError.NoSupport;
        }

        if (error != HolepunchError.None || found is null)
        {
            WriteHolepunch(initiator, new HolepunchMessage(HolepunchMessageType.Error, target, error));
            return;
        }

        WriteHolepunch(found, new HolepunchMessage(HolepunchMessageType.Connect, PunchEndPoint(initiator)));
        WriteHolepunch(initiator, new HolepunchMessage(HolepunchMessageType.Connect, PunchEndPoint(found)));
    }

    /// <summary>
    /// Where the other side should send its uTP SYN: a peer connected over uTP is reached where its datagrams come
    /// from (its router's mapping of its uTP port); any other at its BEP 10 listen port, as PEX names it.
    /// </summary>
    private static IPEndPoint PunchEndPoint(SwarmPeer peer) =>
        peer.Transport == PeerTransport.Utp || peer.ListenPort is not { } port
            ? new IPEndPoint(peer.Address, peer.Port)
            : new IPEndPoint(peer.Address, port);

    /// <summary>A connected peer named by its listen endpoint (as PEX advertises it) or by where its connection comes from (as libtorrent names it).</summary>
    private SwarmPeer? FindByEndPoint(IPEndPoint endPoint) => _peers.Find(p => p.WebSeed is null && IsEndPointOf(p, endPoint));

    private static bool IsEndPointOf(SwarmPeer peer, IPEndPoint endPoint) =>
        peer.Address.Equals(endPoint.Address) && (peer.Port == endPoint.Port || peer.ListenPort == endPoint.Port);

    /// <summary>Our listen port at the address the initiator says it sees us at (BEP 10 <c>yourip</c>).</summary>
    private bool IsOurs(SwarmPeer initiator, IPEndPoint endPoint) =>
        endPoint.Port == ListenPort && initiator.SeesUsAt is { } us && IPv4Mapping.Unmap(us).Equals(endPoint.Address);

    private bool TakeHolepunchAllowance(SwarmPeer peer)
    {
        TimeSpan now = Now;
        if (now - peer.HolepunchWindowStart >= HolepunchWindow)
        {
            peer.HolepunchWindowStart = now;
            peer.HolepunchMessagesInWindow = 0;
        }

        return ++peer.HolepunchMessagesInWindow <= HolepunchMessagesPerWindow;
    }

    private void PauseRendezvous(IPEndPoint target, TimeSpan until)
    {
        if (!_rendezvousPausedUntil.ContainsKey(target) && _rendezvousPausedUntil.Count >= MaxHolepunchTargets)
        {
            TimeSpan now = Now;
            foreach (IPEndPoint expired in _rendezvousPausedUntil.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToArray())
            {
                _rendezvousPausedUntil.Remove(expired);
            }

            if (_rendezvousPausedUntil.Count >= MaxHolepunchTargets)
            {
                return;
            }
        }

        _rendezvousPausedUntil[target] = until;
    }

    private void WriteHolepunch(SwarmPeer peer, HolepunchMessage message) =>
        PeerMessageWriter.WriteExtended(Output(peer), peer.HolepunchId, message.Encode());
}
