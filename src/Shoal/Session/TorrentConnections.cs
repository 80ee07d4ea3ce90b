using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Net.Encryption;
using Shoal.Net.Streams;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// A torrent's connections: the peers it knows, whatever found them (<see cref="AddPeers"/>), dialing them
/// with back-off, taking over the connections the session accepted for it, each within this torrent's
/// connection slots and the session's, and the <see cref="PeerConnection"/>s that run meanwhile.
/// </summary>
internal sealed partial class TorrentConnections(SessionContext session, Torrent torrent, Lock gate, IPieceStorage storage, TorrentBandwidth bandwidth, ILogger logger) : IPeerSink
{
    private readonly PeerDialer _dialer = new(
        session.Connector,
        new Handshake(ReservedBits.Shoal.WithV2(torrent.Version.HasV2()).WithDht(session.DhtContact is not null), torrent.InfoHashes.ForWire, session.PeerId),
        session.EncryptionFor(torrent.IsPrivate),
        torrent.InfoHashes.V2?.Truncated);
    private readonly KnownPeers _known = new();
    private readonly ConnectionSlots _slots = new(() => session.ConnectionsPerTorrent);
    private readonly AddressSlots _addressSlots = new(session.Options.MaxConnectionsPerAddress);
    private readonly RunningTasks _running = new(gate);
    private readonly long _startTimestamp = session.Options.Time.GetTimestamp();
    private readonly DeferredFlushes _deferredFlushes = new(session.Options.Time);
    private TorrentSwarm? _swarm;
    private CancellationToken _stop;

    private TimeSpan Now => session.Options.Time.GetElapsedTime(_startTimestamp);

    /// <summary>Connections now join <paramref name="swarm"/> until <paramref name="stop"/>; the known peers are dialled.</summary>
    public void Open(TorrentSwarm swarm, CancellationToken stop)
    {
        lock (gate)
        {
            _swarm = swarm;
            _stop = stop;
        }

        DialPeers();
    }

    /// <summary>Remembers the peers and dials those that are due, the known ones whose back-off has run out too.</summary>
    public void AddPeers(IEnumerable<IPEndPoint> peers, PeerSource source)
    {
        int added = 0;
        lock (gate)
        {
            foreach (IPEndPoint peer in peers)
            {
                added += _known.Add(peer) ? 1 : 0;
            }
        }

        if (added > 0)
        {
            EngineLog.PeersAdded(logger, torrent.Name, added, source);
        }

        if (_swarm is not null)
        {
            DialPeers();
        }
    }

    /// <summary>
    /// Takes over a connection the session accepted for this torrent, unless it is plaintext and the torrent requires
    /// encryption. Only accepted connections count against the address's slots: those we dial go to peers we chose,
    /// and several may share an address (a NAT).
    /// </summary>
    public async Task AcceptAsync(IPeerStream stream, Handshake handshake)
    {
        IPEndPoint remote = stream.Remote;
        if (_swarm is null || _stop.IsCancellationRequested || (_dialer.Encryption == EncryptionMode.Require && !stream.IsEncrypted)
            || !_addressSlots.TryTake(remote.Address))
        {
            stream.Dispose();
            return;
        }

        if (!TryTakeSlot())
        {
            _addressSlots.Release(remote.Address);
            stream.Dispose();
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop);
            timeout.CancelAfter(PeerHandshaker.Timeout);
            // A hybrid answers with the hash the peer asked for: v1, or the truncated v2 of the v2 swarm (BEP 52).
            await PeerHandshaker.WriteAsync(stream, _dialer.Ours with { InfoHash = handshake.InfoHash }, timeout.Token).ConfigureAwait(false);
            await RunConnectionAsync(stream, handshake, "incoming").ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            stream.Dispose();
        }
        finally
        {
            ReleaseSlot();
            _addressSlots.Release(remote.Address);
        }
    }

    /// <summary>Completes when every connection running now has ended.</summary>
    public Task WhenAllClosedAsync() => _running.WhenAllEndedAsync();

    private void DialPeers()
    {
        IReadOnlyList<IPEndPoint> due;
        lock (gate)
        {
            int room = _slots.Free;
            if (room <= 0 || _swarm!.IsComplete && _known.Count == 0)
            {
                return;
            }

            due = _known.TakeDue(Now, room, seedsToo: !_swarm!.IsComplete);
        }

        foreach (IPEndPoint endPoint in due)
        {
            _ = DialAsync(endPoint);
        }
    }

    /// <summary>Dials a peer; <paramref name="relay"/> is the BEP 55 relay whose connect asked for it, if one did.</summary>
    private async Task DialAsync(IPEndPoint endPoint, IPEndPoint? relay = null)
    {
        bool failed = true;
        if (!TryTakeSlot())
        {
            lock (gate)
            {
                _known.Released(endPoint, Now, failed: false);
            }

            return;
        }

        IPeerStream? stream = null;
        bool wasSeed = false;
        try
        {
            (stream, Handshake remote) = await _dialer.DialAsync(endPoint, _stop, punch: relay is not null).ConfigureAwait(false);
            if (session.IsOurPeerId(remote.PeerId.Span))
            {
                lock (gate)
                {
                    _known.Forget(endPoint);
                }

                return;
            }

            failed = false;
            lock (gate)
            {
                _known.Connected(endPoint);
            }

            if (relay is not null)
            {
                EngineLog.HolePunched(logger, torrent.Name, endPoint, relay, stream.Transport, "outgoing");
            }

            wasSeed = await RunConnectionAsync(stream, remote, "outgoing").ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or PeerProtocolException or ObjectDisposedException or MseException)
        {
            EngineLog.DialFailed(logger, torrent.Name, endPoint, e.Message);
            // A dial cut short by the torrent stopping says nothing of the peer.
            if (!_stop.IsCancellationRequested)
            {
                AfterFailedDial(endPoint, relay, e);
            }
        }
        finally
        {
            stream?.Dispose();
            ReleaseSlot();
            lock (gate)
            {
                _known.Released(endPoint, Now, failed, wasSeed);
            }
        }
    }

    private bool TryTakeSlot()
    {
        if (!_slots.TryTake())
        {
            return false;
        }

        if (session.ConnectionSlots.TryTake())
        {
            return true;
        }

        _slots.Release();
        return false;
    }

    private void ReleaseSlot()
    {
        _slots.Release();
        session.ConnectionSlots.Release();
    }

    /// <summary>Runs the connection to its end; returns whether the peer was a seed by then.</summary>
    private async Task<bool> RunConnectionAsync(IPeerStream stream, Handshake handshake, string direction)
    {
        if (session.IsOurPeerId(handshake.PeerId.Span))
        {
            stream.Dispose();
            return false;
        }

        IPEndPoint remote = stream.Remote;
        var connection = new PeerConnection(stream, new ConnectionContext(
            torrent, _swarm!, gate, storage, bandwidth.Upload, bandwidth.Download, session.Options.BufferPool, session.Options.Swarm.MaxIncomingRequests, _deferredFlushes));
        EngineLog.Connected(logger, torrent.Name, remote, direction);
        await _running.RunAsync(connection.RunAsync(handshake, _stop, ReplacesDuplicate(handshake, direction))).ConfigureAwait(false);

        EngineLog.Disconnected(logger, torrent.Name, remote, stream.Transport, connection.CloseReason ?? "closed", connection.Downloaded);
        return connection.PeerWasSeed;
    }

    /// <summary>
    /// When both sides dial each other at once, both keep the connection opened by the lower peer id: a new
    /// connection replaces an open one with the same peer when its opener's id is the lower.
    /// </summary>
    private bool ReplacesDuplicate(Handshake theirs, string direction)
    {
        int theirsFirst = theirs.PeerId.Span.SequenceCompareTo(session.PeerId.Span);
        return direction == "incoming" ? theirsFirst < 0 : theirsFirst > 0;
    }
}
