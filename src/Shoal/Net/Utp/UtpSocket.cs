using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Discovery;
using Shoal.Discovery.Dht;

namespace Shoal.Net.Utp;

/// <summary>Limits of a <see cref="UtpSocket"/>.</summary>
internal sealed record UtpSocketOptions
{
    /// <summary>Connections answered (ST_SYN seen) but not yet established; SYNs past this are dropped, so a flood costs no memory.</summary>
    public int MaxHalfOpen { get; init; } = 64;

    /// <summary>Connections of any kind; incoming SYNs past this are dropped, connects fail.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>How long an answered SYN waits for the peer's next packet.</summary>
    public TimeSpan HalfOpenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closed connection still answers a peer's resent FIN before it is forgotten.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The timer that runs every connection's timeouts.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Datagram sizes (uTP header included) a connection starts with, by path: the floors of path MTU discovery.
    /// 1400 bytes for IPv4 fits any Ethernet path with room for tunnels; 1232 for IPv6 fits its guaranteed
    /// 1280-byte MTU. Loopback starts at 1400 too: libtorrent 2.0.8 takes no datagram over about 1500 bytes, on
    /// loopback as anywhere.
    /// </summary>
    public int Ipv4PacketSize { get; init; } = 1400;

    public int Ipv6PacketSize { get; init; } = 1232;

    public int LoopbackPacketSize { get; init; } = 1400;

    /// <summary>
    /// The largest datagrams path MTU discovery tries, by path: Ethernet's 1500 less the IP and UDP headers (28 bytes
    /// for IPv4, 48 for IPv6). Loopback's link MTU is 64 KiB, and 32 KiB packets move Shoal to Shoal about 4 times
    /// faster there, but libtorrent 2.0.8 reads datagrams into a 1,500-byte buffer and its uTP stalls once it gets a
    /// longer probe (seen in the interop tests): loopback probes no further than Ethernet. A value no more than the
    /// floor turns probing off for that path.
    /// </summary>
    public int Ipv4MtuCeiling { get; init; } = 1500 - 28;

    public int Ipv6MtuCeiling { get; init; } = 1500 - 48;

    public int LoopbackMtuCeiling { get; init; } = 1500 - 28;

    public int ReceiveBufferSize { get; init; } = 1 << 20;

    public int SendBufferSize { get; init; } = 1 << 20;

    /// <summary>What the socket asks the kernel for each way (capped by the system's limits).</summary>
    public int SocketBufferSize { get; init; } = 4 << 20;

    /// <summary>
    /// Tests only: behave as if behind a home router's filter, which drops a datagram from an endpoint we have sent
    /// nothing to (no connection of ours with it), so only a peer we are dialling ourselves gets in (a BEP 55 punch).
    /// </summary>
    public bool DropsUnsolicited { get; init; }
}

/// <summary>
/// The I/O edge of uTP (BEP 29): one UDP socket, one receive loop, one timer for every connection. Datagrams are
/// told apart by <see cref="UtpPacket.IsUtp"/>: uTP packets go to their connection by (remote address, connection
/// id), anything else (DHT messages) to <see cref="Fallback"/>, and <see cref="Send"/> lets the DHT send through the
/// same port. Connections are opened with <see cref="ConnectAsync"/> and arrive through the <c>accept</c> callback,
/// once their handshake is done.
/// <para>
/// The receive loop keeps one buffer and one <see cref="SocketAddress"/>; a packet is handed to its connection in
/// place, and the acks and data it frees are sent synchronously once the socket has nothing more queued, so one
/// ST_STATE answers a burst.
/// </para>
/// </summary>
internal sealed class UtpSocket : IAsyncDisposable, IDatagramSender
{
    private const int MaxDatagram = 65536;
    private const int MaxBurst = 128;

    private readonly Socket _socket;
    private readonly UtpSocketOptions _options;
    private readonly UtpClock _clock;
    private readonly Func<UtpStream, Task>? _accept;
    private readonly Lock _tableLock = new();
    private readonly Dictionary<Key, Entry> _table = [];
    private readonly List<Entry> _dirty = [];
    private readonly List<Entry> _ticking = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly TaskCompletionSource _receiving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _probeLock = new();
    private readonly DontFragment _dontFragment = new();
    private int _halfOpen;
    private int _inTick;

    /// <summary>
    /// Serves uTP on an already bound UDP socket (the session binds it with the TCP listener's port number, see
    /// <see cref="PeerPorts"/>), which it owns from now on. <paramref name="accept"/> gets each incoming connection
    /// once established (null refuses them all: SYNs are ignored).
    /// </summary>
    public UtpSocket(Socket socket, Func<UtpStream, Task>? accept, UtpSocketOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _accept = accept;
        _options = options ?? new UtpSocketOptions();
        _clock = new UtpClock(time ?? TimeProvider.System);
        TrySetBuffers();
        _timer = _clock.Time.CreateTimer(_ => OnTimer(), null, _options.TickInterval, _options.TickInterval);
        new Thread(ReceiveLoop) { IsBackground = true, Name = "uTP receive" }.Start();
    }

    /// <summary>Non-uTP datagrams, as (bytes valid only during the call, sender): the DHT registers here.</summary>
    public Action<ReadOnlyMemory<byte>, IPEndPoint>? Fallback { get; set; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Connections known, in any state (half-open and lingering ones too).</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_tableLock)
            {
                return _table.Count;
            }
        }
    }

    /// <summary>Binds a dual-mode socket on every address at <paramref name="port"/> (0 for any).</summary>
    public static UtpSocket Bind(int port, Func<UtpStream, Task>? accept, UtpSocketOptions? options = null, TimeProvider? time = null) =>
        new(DualModeUdpSocket.Bind(port), accept, options, time);

    /// <summary>Sends one datagram as it is (for the DHT); a failure to send is a lost datagram, as UDP has it.</summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        ArgumentNullException.ThrowIfNull(to);
        SendTo(datagram, Normalize(to).Serialize());
    }

    void IDatagramSender.Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination) => Send(datagram.Span, destination);

    /// <summary>
    /// Opens a uTP connection: ST_SYN, resent with back-off for about 15 s before a TimedOut <see cref="SocketException"/>;
    /// an ST_RESET answer is ConnectionRefused.
    /// </summary>
    public async Task<UtpStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        IPEndPoint target = Normalize(remote);
        SocketAddress address = target.Serialize();
        Entry entry;
        lock (_tableLock)
        {
            if (_table.Count >= _options.MaxConnections)
            {
                throw new SocketException((int)SocketError.TooManyOpenSockets);
            }

            ushort receiveId;
            do
            {
                receiveId = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            }
            while (_table.ContainsKey(new Key(address, receiveId)));

            var connection = UtpConnection.Connect(_clock, new Sink(this, address), receiveId, RandomSeq(), ConnectionOptions(remote.Address));
            entry = new Entry(connection, address, new UtpStream(connection, Unmap(remote)), pending: false, _clock.Now);
            _table.Add(new Key(address, receiveId), entry);
        }

        lock (entry.Connection.Gate)
        {
            entry.Connection.Flush();
        }

        try
        {
            await entry.Stream!.WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
            return entry.Stream;
        }
        catch
        {
            lock (entry.Connection.Gate)
            {
                entry.Connection.Reset();
            }

            Forget(entry);
            throw;
        }
    }

    /// <summary>Resets every connection still open, stops the loop and the timer, and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        Entry[] entries;
        lock (_tableLock)
        {
            entries = [.. _table.Values];
            _table.Clear();
        }

        foreach (Entry entry in entries)
        {
            lock (entry.Connection.Gate)
            {
                entry.Connection.Reset();
            }
        }

        _socket.Dispose();
        await _receiving.Task.ConfigureAwait(false);

        _stop.Dispose();
    }

    /// <summary>Takes one datagram as the receive loop got it (tests call it directly): demultiplexes, never throws for bad input.</summary>
    internal void Dispatch(ReadOnlySpan<byte> datagram, SocketAddress from, ReadOnlyMemory<byte> asMemory)
    {
        if (!UtpPacket.IsUtp(datagram))
        {
            if (Fallback is { } fallback)
            {
                fallback(asMemory, Unmap(ToEndPoint(from)));
            }

            return;
        }

        if (!UtpPacket.TryRead(datagram, out UtpHeader header, out ReadOnlySpan<byte> selectiveAck, out ReadOnlySpan<byte> payload))
        {
            return;
        }

        Entry? entry;
        ushort id = header.Type == UtpType.Syn ? (ushort)(header.ConnectionId + 1) : header.ConnectionId;
        lock (_tableLock)
        {
            if (!_table.TryGetValue(new Key(from, id), out entry))
            {
                if (_options.DropsUnsolicited && !_table.Values.Any(e => e.Address.Equals(from)))
                {
                    return;
                }

                entry = header.Type == UtpType.Syn ? Answer(header, from) : null;
            }
        }

        if (entry is null)
        {
            // libtorrent's answer to a SYN it does not take, and to data for a connection it does not know (one
            // forgotten, or from before a restart): ST_RESET, so the peer fails now rather than after its timeouts.
            // No larger than what it answers, it amplifies nothing; a SYN past the half-open limit gets nothing.
            if (header.Type is UtpType.Data or UtpType.Fin || (header.Type == UtpType.Syn && _accept is null))
            {
                SendReset(header, from);
            }

            return;
        }

        bool established = false;
        lock (entry.Connection.Gate)
        {
            entry.Connection.OnPacket(header, selectiveAck, payload);
            if (entry.Pending && entry.Connection.State == UtpState.Connected)
            {
                entry.Pending = false;
                established = true;
            }
        }

        if (established)
        {
            Established(entry);
        }

        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Add(entry);
        }
    }

    /// <summary>Sends what the packets received since the last flush made due: acks, data the acks let go.</summary>
    internal void FlushDirty()
    {
        foreach (Entry entry in _dirty)
        {
            entry.Dirty = false;
            bool done;
            lock (entry.Connection.Gate)
            {
                entry.Connection.Flush();
                done = entry.Connection.State == UtpState.Failed;
            }

            if (done)
            {
                Forget(entry);
            }
        }

        _dirty.Clear();
    }

    /// <summary>Runs every connection's timers (tests call it on virtual time): timeouts, half-open and lingering ends.</summary>
    internal void OnTimer()
    {
        if (Interlocked.Exchange(ref _inTick, 1) == 1)
        {
            return;
        }

        try
        {
            _ticking.Clear();
            lock (_tableLock)
            {
                _ticking.AddRange(_table.Values);
            }

            long now = _clock.Now;
            foreach (Entry entry in _ticking)
            {
                UtpState state;
                lock (entry.Connection.Gate)
                {
                    entry.Connection.Tick();
                    state = entry.Connection.State;
                }

                bool forget = state switch
                {
                    UtpState.Failed => true,
                    UtpState.Closed => now - (entry.ClosedAt ??= now) > _options.Linger.Ticks / 10,
                    UtpState.SynReceived => now - entry.CreatedAt > _options.HalfOpenTimeout.Ticks / 10,
                    _ => false,
                };
                if (forget)
                {
                    Forget(entry);
                }
            }

            _ticking.Clear();
        }
        finally
        {
            Volatile.Write(ref _inTick, 0);
        }
    }

    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0).Create(address);

    private static ushort RandomSeq() => (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);

    private IPEndPoint Normalize(IPEndPoint endPoint) =>
        _socket.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port)
            : endPoint;

    private UtpConnectionOptions ConnectionOptions(IPAddress remote)
    {
        IPAddress address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        (int packetSize, int ceiling) = IPAddress.IsLoopback(address) ? (_options.LoopbackPacketSize, _options.LoopbackMtuCeiling)
            : address.AddressFamily == AddressFamily.InterNetwork ? (_options.Ipv4PacketSize, _options.Ipv4MtuCeiling)
            : (_options.Ipv6PacketSize, _options.Ipv6MtuCeiling);
        return new UtpConnectionOptions
        {
            PacketSize = packetSize,
            MaxPacketSize = Math.Min(ceiling, MaxDatagram - 1),
            ReceiveBufferSize = _options.ReceiveBufferSize,
            SendBufferSize = _options.SendBufferSize,
        };
    }

    /// <summary>A SYN for no connection we know: answered when accepting and under the limits (called under the table lock).</summary>
    private Entry? Answer(in UtpHeader syn, SocketAddress from)
    {
        if (_accept is null || _halfOpen >= _options.MaxHalfOpen || _table.Count >= _options.MaxConnections || _stop.IsCancellationRequested)
        {
            return null;
        }

        var address = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(address.Buffer.Span);
        IPEndPoint remote = ToEndPoint(address);
        var connection = UtpConnection.Accept(_clock, new Sink(this, address), syn, RandomSeq(), ConnectionOptions(remote.Address));
        var entry = new Entry(connection, address, stream: null, pending: true, _clock.Now);
        _table.Add(new Key(address, connection.ReceiveId), entry);
        _halfOpen++;
        return entry;
    }

    private void SendReset(in UtpHeader to, SocketAddress from)
    {
        var header = new UtpHeader
        {
            Type = UtpType.Reset,
            ConnectionId = to.ConnectionId,
            Timestamp = (uint)_clock.Now,
            SeqNr = RandomSeq(),
            AckNr = to.SeqNr,
        };
        Span<byte> packet = stackalloc byte[UtpPacket.HeaderSize];
        UtpPacket.Write(packet, header, default);
        SendTo(packet, from);
    }

    private void Established(Entry entry)
    {
        IPEndPoint remote = ToEndPoint(entry.Address);
        lock (_tableLock)
        {
            _halfOpen--;
        }

        var stream = new UtpStream(entry.Connection, Unmap(remote));
        entry.Stream = stream;
        Func<UtpStream, Task> accept = _accept!;
        _ = Task.Run(async () =>
        {
            try
            {
                await accept(stream).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                stream.Dispose();
            }
        });
    }

    private void Forget(Entry entry)
    {
        lock (_tableLock)
        {
            if (_table.Remove(new Key(entry.Address, entry.Connection.ReceiveId)) && entry.Pending)
            {
                entry.Pending = false;
                _halfOpen--;
            }
        }
    }

    private void SendTo(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // A full buffer or an unreachable host: the datagram is lost, and uTP resends.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Sends an MTU probe with the don't-fragment bit set for that one datagram, as libtorrent does: the option is
    /// turned on around the send, under a lock so probes do not interleave (other sends may go out with it too, which
    /// does them no harm at their known-good size). Linux: IP_MTU_DISCOVER / IPV6_MTU_DISCOVER set to
    /// IP_PMTUDISC_PROBE (DF set, the route's cached MTU ignored), then back to what it was; on the dual-mode socket
    /// both levels, as IPv4-mapped peers go through the IPv4 one. Windows: IP_DONTFRAGMENT / IPV6_DONTFRAG. Elsewhere,
    /// or when the system refuses, probes go without it (best effort): a router may then fragment a probe that
    /// passes, and the search finds the largest size the peer takes rather than the path's MTU.
    /// </summary>
    private bool SendProbe(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        lock (_probeLock)
        {
            bool set = _dontFragment.TrySet(_socket, on: true);
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, to);
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
            finally
            {
                if (set)
                {
                    _dontFragment.TrySet(_socket, on: false);
                }
            }
        }
    }

    /// <summary>
    /// The receive loop, on a thread of its own (one per socket, whatever the number of connections): a loop that
    /// keeps finding datagrams queued would otherwise hold a pool thread for as long as a transfer lasts, and the
    /// readers and writers it wakes would wait for the pool to grow.
    /// </summary>
    private void ReceiveLoop()
    {
        try
        {
            byte[] buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
            var from = new SocketAddress(_socket.AddressFamily);
            int burst = 0;
            while (!_stop.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException) when (!_stop.IsCancellationRequested)
                {
                    // An ICMP error for an earlier send (Windows reports them here): not this socket's end.
                    continue;
                }

                Dispatch(buffer.AsSpan(0, received), from, buffer.AsMemory(0, received));

                // Once nothing more is queued, the burst is over: its acks, and the data they let go, leave now.
                if (++burst >= MaxBurst || _socket.Available == 0)
                {
                    burst = 0;
                    FlushDirty();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && _stop.IsCancellationRequested)
        {
        }
        finally
        {
            _receiving.TrySetResult();
        }
    }

    private void TrySetBuffers()
    {
        try
        {
            _socket.ReceiveBufferSize = Math.Max(_socket.ReceiveBufferSize, _options.SocketBufferSize);
            _socket.SendBufferSize = Math.Max(_socket.SendBufferSize, _options.SocketBufferSize);
        }
        catch (SocketException)
        {
            // The system's defaults then.
        }
    }

    /// <summary>A connection's key: the peer's address as the socket reports it, and the id its packets carry.</summary>
    private readonly struct Key(SocketAddress address, ushort id) : IEquatable<Key>
    {
        public SocketAddress Address { get; } = address;

        public ushort Id { get; } = id;

        public bool Equals(Key other) => Id == other.Id && Address.Equals(other.Address);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(Address.GetHashCode(), Id);
    }

    private sealed class Entry(UtpConnection connection, SocketAddress address, UtpStream? stream, bool pending, long createdAt)
    {
        public UtpConnection Connection { get; } = connection;

        public SocketAddress Address { get; } = address;

        public UtpStream? Stream { get; set; } = stream;

        public bool Pending { get; set; } = pending;

        public long CreatedAt { get; } = createdAt;

        public long? ClosedAt { get; set; }

        public bool Dirty { get; set; }
    }

    private sealed class Sink(UtpSocket owner, SocketAddress to) : IUtpSink
    {
        public void Send(ReadOnlySpan<byte> datagram) => owner.SendTo(datagram, to);

        public bool SendProbe(ReadOnlySpan<byte> datagram) => owner.SendProbe(datagram, to);
    }

    /// <summary>The don't-fragment bit of a UDP socket, turned on and back off by raw socket options (see <see cref="SendProbe"/>).</summary>
    private sealed class DontFragment
    {
        // Linux: <netinet/in.h>.
        private const int IpMtuDiscover = 10;
        private const int Ipv6MtuDiscover = 23;
        private const int PmtuDiscProbe = 3;

        // Windows: <ws2ipdef.h>.
        private const int IpDontFragment = 14;
        private const int Ipv6DontFrag = 14;

        private const int LevelIp = 0;
        private const int LevelIpv6 = 41;

        private int _previousIp = -1;
        private int _previousIpv6 = -1;
        private bool _unsupported = !OperatingSystem.IsLinux() && !OperatingSystem.IsWindows();

        /// <summary>Turns the bit on (remembering the values it replaces) or back; false when the system does not let it.</summary>
        public bool TrySet(Socket socket, bool on)
        {
            if (_unsupported)
            {
                return false;
            }

            try
            {
                bool v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
                if (OperatingSystem.IsLinux())
                {
                    if (on)
                    {
                        _previousIp = Swap(socket, LevelIp, IpMtuDiscover, PmtuDiscProbe);
                        _previousIpv6 = v6 ? Swap(socket, LevelIpv6, Ipv6MtuDiscover, PmtuDiscProbe) : -1;
                    }
                    else
                    {
                        Swap(socket, LevelIp, IpMtuDiscover, _previousIp);
                        if (v6)
                        {
                            Swap(socket, LevelIpv6, Ipv6MtuDiscover, _previousIpv6);
                        }
                    }
                }
                else
                {
                    Swap(socket, LevelIp, IpDontFragment, on ? 1 : 0);
                    if (v6)
                    {
                        Swap(socket, LevelIpv6, Ipv6DontFrag, on ? 1 : 0);
                    }
                }

                return true;
            }
            catch (SocketException)
            {
                _unsupported = true;
                return false;
            }
        }

        private static int Swap(Socket socket, int level, int name, int value)
        {
            Span<byte> buffer = stackalloc byte[sizeof(int)];
            socket.GetRawSocketOption(level, name, buffer);
            int previous = BitConverter.ToInt32(buffer);
            BitConverter.TryWriteBytes(buffer, value);
            socket.SetRawSocketOption(level, name, buffer);
            return previous;
        }
    }
}
