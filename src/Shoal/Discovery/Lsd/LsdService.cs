using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Metainfo;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// Local service discovery (BEP 14) on the network: announces registered torrents to the IPv4 and IPv6
/// groups it could join and raises <see cref="PeerFound"/> for peers that announce them. A group the
/// system cannot join (no multicast, no IPv6) is logged and left out; with none joined the service does nothing.
/// </summary>
public sealed class LsdService : IAsyncDisposable
{
    private readonly LocalDiscovery _discovery;
    private readonly int _listenPort;
    private readonly LsdOptions _options;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _sendLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LsdSocket> _sockets = [];
    private readonly List<Task> _receivers = [];
    private bool _started;

    /// <param name="listenPort">The port we accept BitTorrent connections on, announced to others.</param>
    /// <param name="time">The clock for announce times and rate limits.</param>
    /// <param name="logger">Where failures to join or send go.</param>
    /// <param name="options">Groups, interface and timing; <see cref="LsdOptions.Default"/> when null.</param>
    public LsdService(int listenPort, TimeProvider time, ILogger? logger = null, LsdOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listenPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(listenPort, ushort.MaxValue);
        ArgumentNullException.ThrowIfNull(time);
        _listenPort = listenPort;
        _options = options ?? LsdOptions.Default;
        _logger = logger ?? NullLogger.Instance;
        _discovery = new LocalDiscovery(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), time, _options);
        _timer = time.CreateTimer(_ => SendDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A peer announced a registered torrent. Raised on a socket thread; handlers should return quickly.</summary>
    public event Action<LsdPeer>? PeerFound;

    /// <summary>Whether at least one multicast group was joined.</summary>
    public bool IsActive
    {
        get
        {
            lock (_sendLock)
            {
                return _sockets.Count > 0;
            }
        }
    }

    /// <summary>Joins the configured groups and starts announcing and listening; false when none could be joined.</summary>
    public bool Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("local discovery is already started");
        }

        _started = true;
        lock (_sendLock)
        {
            foreach (IPEndPoint group in new[] { _options.IPv4Group, _options.IPv6Group }.OfType<IPEndPoint>())
            {
                if (LsdSocket.TryOpen(group, _options, _logger) is { } socket)
                {
                    _sockets.Add(socket);
                    _receivers.Add(Task.Run(() => socket.ReceiveAsync(OnDatagram, _stop.Token)));
                }
            }

            Reschedule();
            return IsActive;
        }
    }

    /// <summary>See <see cref="LocalDiscovery.Announce"/>: private torrents are never announced.</summary>
    public bool Announce(InfoHash infoHash, bool isPrivate)
    {
        bool announced = _discovery.Announce(infoHash, isPrivate);
        Reschedule();
        return announced;
    }

    /// <summary>See <see cref="LocalDiscovery.Withdraw"/>.</summary>
    public bool Withdraw(InfoHash infoHash) => _discovery.Withdraw(infoHash);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_sendLock)
        {
            _timer.Dispose();
        }

        foreach (LsdSocket socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_receivers).ConfigureAwait(false);
        _stop.Dispose();
    }

    private void SendDue()
    {
        lock (_sendLock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            IReadOnlyList<InfoHash> due = _discovery.TakeDueAnnounce();
            if (due.Count > 0)
            {
                foreach (LsdSocket socket in _sockets)
                {
                    socket.Send(LsdMessageCodec.Encode(new LsdMessage(socket.Host, _listenPort, due, _discovery.Cookie)));
                }
            }

            Reschedule();
        }
    }

    /// <summary>Arms the timer for the next announce. Always under the send lock, so no later wake is overwritten by an earlier one.</summary>
    private void Reschedule()
    {
        lock (_sendLock)
        {
            if (IsActive && !_stop.IsCancellationRequested)
            {
                _timer.Change(_discovery.UntilNextAnnounce(), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnDatagram(IPAddress source, ReadOnlyMemory<byte> datagram)
    {
        IReadOnlyList<LsdPeer> peers;
        try
        {
            peers = _discovery.Receive(source, datagram.Span);
        }
        catch (LsdMessageException e)
        {
            LsdLog.Malformed(_logger, source, e.Message);
            return;
        }

        foreach (LsdPeer peer in peers)
        {
            try
            {
                PeerFound?.Invoke(peer);
            }
            catch (Exception e)
            {
                // A faulty subscriber must not stop discovery for the others.
                LsdLog.HandlerFailed(_logger, e);
            }
        }
    }
}
