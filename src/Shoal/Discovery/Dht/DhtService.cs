using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Shoal.Discovery.Dht;

/// <summary>
/// The UDP edge of the DHT: one dual-mode socket, a receive loop and a once-a-second tick feeding a
/// <see cref="DhtNode"/>, with every call into the node under one lock. The socket may be shared: its owner (the
/// session's uTP socket, BEP 29) then sends for the node and hands over the datagrams that are not its own.
/// </summary>
public sealed class DhtService : IAsyncDisposable, IDatagramSender
{
    private static readonly TimeSpan TickEvery = TimeSpan.FromSeconds(1);

    private readonly Socket? _socket;
    private readonly IDatagramSender? _sharedSocket;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _resolving = Task.CompletedTask;
    private BootstrapResolver? _resolver;

    public DhtService(int port, NodeId? id = null, DhtNodeOptions? options = null, TimeProvider? time = null)
        : this(DualModeUdpSocket.Bind(port), id, options, time)
    {
    }

    /// <summary>Runs on a bound UDP socket, which the service then owns.</summary>
    public DhtService(Socket socket, NodeId? id = null, DhtNodeOptions? options = null, TimeProvider? time = null)
        : this(socket ?? throw new ArgumentNullException(nameof(socket)), null, ((IPEndPoint)socket.LocalEndPoint!).Port, id, options, time)
    {
    }

    /// <summary>Runs on a socket someone else owns at <paramref name="port"/>: it sends through <paramref name="sharedSocket"/> and gets datagrams from <see cref="Receive"/>.</summary>
    public DhtService(IDatagramSender sharedSocket, int port, NodeId? id = null, DhtNodeOptions? options = null, TimeProvider? time = null)
        : this(null, sharedSocket ?? throw new ArgumentNullException(nameof(sharedSocket)), port, id, options, time)
    {
    }

    private DhtService(Socket? socket, IDatagramSender? sharedSocket, int port, NodeId? id, DhtNodeOptions? options, TimeProvider? time)
    {
        time ??= TimeProvider.System;
        _time = time;
        _socket = socket;
        _sharedSocket = sharedSocket;
        Port = port;
        Node = new DhtNode(id ?? NodeId.CreateRandom(), this, time, options);
        // The node raises its events under the lock; handlers run off it, so none can wait on a thread that waits for the node.
        Node.ExternalAddressVoted += address => ThreadPool.QueueUserWorkItem(_ => ExternalAddressVoted?.Invoke(address));
        Node.IdChanged += newId =>
        {
            DhtLog.IdChanged(Logger, Node.ExternalAddress, newId);
            ThreadPool.QueueUserWorkItem(_ => IdChanged?.Invoke(newId));
        };
        _timer = time.CreateTimer(_ => Locked(() => Node.Tick()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Port { get; }

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>How host names are resolved; tests replace it so that no name reaches a real resolver.</summary>
    internal Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = Dns.GetHostAddressesAsync;

    /// <summary>The node's id, table, external address and bootstrap progress; cheap enough for a status display.</summary>
    public DhtState State
    {
        get
        {
            DhtState state = Locked(() => Node.State);
            return state with { BootstrapHosts = _resolver?.Snapshot(state.BootstrapAnswered) ?? [] };
        }
    }

    private DhtNode Node { get; }

    /// <summary>
    /// Joins through <paramref name="bootstrap"/> (addresses at once, host names once resolved, off the caller's path)
    /// and <paramref name="known"/> nodes (a saved table's). <see cref="State"/> tells how each bootstrap node fared.
    /// </summary>
    public Task StartAsync(IEnumerable<EndPoint> bootstrap, IEnumerable<IPEndPoint>? known = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        List<EndPoint> given = [.. bootstrap];
        _resolver = new BootstrapResolver(given, Resolve, _time, Logger);
        Locked(() => Node.Bootstrap([.. given.OfType<IPEndPoint>(), .. known ?? []]));
        _resolving = _resolver.RunAsync(found => Locked(() => Node.AddBootstrap(found)), () => State.GoodNodes > 0, _stop.Token);

        if (_socket is not null)
        {
            _receiveLoop = ReceiveLoopAsync(_socket, _stop.Token);
        }

        _timer.Change(TickEvery, TickEvery);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<IPEndPoint>> GetPeersAsync(NodeId infoHash, CancellationToken cancellationToken = default)
    {
        DhtLookup lookup = Locked(() => Node.GetPeers(infoHash));
        return (await lookup.Completion.WaitAsync(cancellationToken).ConfigureAwait(false)).Peers;
    }

    /// <summary>Announces that this host serves <paramref name="infoHash"/> on TCP <paramref name="port"/>; returns peers found on the way.</summary>
    public async Task<IReadOnlyList<IPEndPoint>> AnnounceAsync(NodeId infoHash, int port, CancellationToken cancellationToken = default)
    {
        DhtLookup lookup = Locked(() => Node.Announce(infoHash, port));
        return (await lookup.Completion.WaitAsync(cancellationToken).ConfigureAwait(false)).Peers;
    }

    /// <summary>Saves the table's nodes and our id, for <see cref="LoadAsync"/> and <see cref="ResumeIdAsync"/> at the next start.</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        (List<NodeInfo> nodes, NodeId id) = Locked(() => (Node.Table.Nodes.ToList(), Node.Id));
        return RoutingTableFile.SaveAsync(path, nodes, id, cancellationToken);
    }

    /// <summary>Reads nodes saved by <see cref="SaveAsync"/>, to pass to <see cref="StartAsync"/> with the bootstrap endpoints.</summary>
    public static async Task<IEnumerable<IPEndPoint>> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        (await RoutingTableFile.LoadAsync(path, cancellationToken).ConfigureAwait(false)).Select(n => n.EndPoint);

    /// <summary>Takes the id <see cref="SaveAsync"/> saved in <paramref name="path"/>, if any (see <see cref="DhtNode.UseSavedId"/>); call before <see cref="StartAsync"/>.</summary>
    public async Task ResumeIdAsync(string path, CancellationToken cancellationToken = default)
    {
        if (await RoutingTableFile.LoadSelfAsync(path, cancellationToken).ConfigureAwait(false) is { } id)
        {
            Locked(() => Node.UseSavedId(id));
        }
    }

    /// <summary>Raised, off the DHT's lock, when our node id changes (BEP 42); the table is worth saving then.</summary>
    public event Action<NodeId>? IdChanged;

    /// <summary>Raised, off the DHT's lock, when the address answering nodes agree we have changes (BEP 42's <c>ip</c>).</summary>
    public event Action<IPAddress>? ExternalAddressVoted;

    /// <summary>BEP 5's PORT message: a peer runs a DHT node at this endpoint; it is pinged and joins the table if it answers.</summary>
    public void Contact(IPEndPoint endPoint) => Locked(() => Node.Contact(endPoint));

    /// <summary>Our external address as the session learned it (from port mapping); BEP 42 then gives us an id that conforms to it.</summary>
    public void UseExternalAddress(IPAddress address) => Locked(() => Node.UseExternalAddress(address));

    /// <summary>A datagram for the node, from the shared socket's owner.</summary>
    public void Receive(ReadOnlyMemory<byte> datagram, IPEndPoint from) => Locked(() => Node.Receive(datagram, from));

    void IDatagramSender.Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination)
    {
        if (_sharedSocket is not null)
        {
            _sharedSocket.Send(datagram, destination);
            return;
        }

        IPEndPoint to = destination.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
            : destination;
        try
        {
            _socket!.SendTo(datagram.Span, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // UDP is best effort: an unreachable destination is a lost datagram, which the node's timeouts cover.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        _socket?.Dispose();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _resolving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[KrpcDecoder.MaxPacketSize + 1];
        EndPoint any = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Windows reports ICMP port unreachable for an earlier send as a receive error; keep listening.
                continue;
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            Receive(buffer.AsMemory(0, received.ReceivedBytes), from);
        }
    }

    private void Locked(Action action)
    {
        lock (_lock)
        {
            action();
        }
    }

    private T Locked<T>(Func<T> func)
    {
        lock (_lock)
        {
            return func();
        }
    }
}
