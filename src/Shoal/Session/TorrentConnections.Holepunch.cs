using System.Net;
using System.Net.Sockets;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// BEP 55 for a torrent's connections: a dial that met silence asks the peer that told us of the target for a
/// rendezvous; a relay's connect is dialled at once as a punch, and its outcome logged.
/// </summary>
internal sealed partial class TorrentConnections
{
    /// <summary>
    /// BEP 55 from relays: a connect is dialled at once, whatever the peer's back-off, so that both sides' packets cross
    /// in the routers between them; an error is logged (the swarm leaves the target alone for a while).
    /// </summary>
    public void OnHolepunch(IReadOnlyList<HolepunchNotice> notices)
    {
        foreach ((HolepunchMessage message, IPEndPoint relay) in notices)
        {
            if (message.Type == HolepunchMessageType.Error)
            {
                EngineLog.HolepunchRefused(logger, torrent.Name, message.EndPoint, relay, message.Error);
                continue;
            }

            bool taken;
            lock (gate)
            {
                taken = _swarm is not null && !_stop.IsCancellationRequested && _known.TryTakeNow(message.EndPoint);
            }

            if (taken)
            {
                _ = DialAsync(message.EndPoint, relay);
            }
        }
    }

    /// <summary>
    /// BEP 55. A peer that stayed silent (as behind a router that drops our SYNs; a refusal comes from its own host,
    /// which no punch helps) may be reached through the peer that told us of it: ask that one for a rendezvous. A punch
    /// whose own dial failed may have worked all the same, the peer's dial coming in through our router first.
    /// </summary>
    private void AfterFailedDial(IPEndPoint endPoint, IPEndPoint? relay, Exception error)
    {
        if (relay is not null)
        {
            PunchEnded(endPoint, relay, error.Message);
        }
        else if (error is OperationCanceledException or SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            AskForRendezvous(endPoint);
        }
    }

    private void PunchEnded(IPEndPoint endPoint, IPEndPoint relay, string reason)
    {
        PeerTransport? punched;
        lock (gate)
        {
            punched = _swarm!.PeerAt(endPoint)?.Transport;
        }

        if (punched is { } transport)
        {
            EngineLog.HolePunched(logger, torrent.Name, endPoint, relay, transport, "incoming");
        }
        else
        {
            EngineLog.HolepunchFailed(logger, torrent.Name, endPoint, relay, reason);
        }
    }

    private void AskForRendezvous(IPEndPoint target)
    {
        IPEndPoint? relay;
        lock (gate)
        {
            relay = _swarm!.RequestHolepunch(target);
        }

        if (relay is not null)
        {
            EngineLog.RendezvousRequested(logger, torrent.Name, target, relay);
        }
    }
}
