using System.Buffers;
using System.Net.Sockets;

namespace Shoal.Net.Utp;

/// <summary>Where a connection's packets go: the owner sends each datagram as it is given (it may drop it, as a network may).</summary>
internal interface IUtpSink
{
    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Sends an MTU probe: with the don't-fragment bit where the system allows, so a path too narrow drops it rather
    /// than fragmenting it. False when the system refused it as too large (EMSGSIZE): it is lost at once.
    /// </summary>
    bool SendProbe(ReadOnlySpan<byte> datagram);
}

/// <summary>Where a connection is in its life (BEP 29's CS_* states, plus the ends).</summary>
internal enum UtpState
{
    /// <summary>We sent ST_SYN and wait for the ST_STATE that acks it.</summary>
    SynSent,

    /// <summary>We answered a peer's ST_SYN and wait for its first packet after it.</summary>
    SynReceived,

    Connected,

    /// <summary>Both directions ended with an acked ST_FIN, or we closed and the peer acked all we sent.</summary>
    Closed,

    /// <summary>Reset, refused or timed out: see <see cref="UtpConnection.Error"/>.</summary>
    Failed,
}

/// <summary>Sizes that bound one connection.</summary>
internal sealed record UtpConnectionOptions
{
    /// <summary>
    /// The datagram size (header included) we start with and know to be safe: the floor of path MTU discovery.
    /// 1400 suits IPv4 paths; see <see cref="UtpSocket"/> for how it is chosen.
    /// </summary>
    public int PacketSize { get; init; } = 1400;

    /// <summary>
    /// The largest datagram path MTU discovery may find (the link's MTU less the IP and UDP headers): the ceiling
    /// it starts from. 0, or no more than <see cref="PacketSize"/>, sends every packet at <see cref="PacketSize"/>.
    /// </summary>
    public int MaxPacketSize { get; init; }

    /// <summary>How long a finished search keeps its result before it looks again (the path may have changed).</summary>
    public TimeSpan MtuSearchInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Bytes received and not yet read, in order or not: what we advertise as <c>wnd_size</c>.</summary>
    public int ReceiveBufferSize { get; init; } = 1 << 20;

    /// <summary>Bytes written and not yet acked: <see cref="UtpConnection.Write"/> takes no more.</summary>
    public int SendBufferSize { get; init; } = 1 << 20;
}

/// <summary>
/// One uTP connection (BEP 29), without I/O: packets come in through <see cref="OnPacket"/>, go out through the
/// <see cref="IUtpSink"/> during <see cref="Flush"/> and <see cref="Tick"/>, and time comes from a
/// <see cref="TimeProvider"/>. Not thread-safe: the owner holds <see cref="Gate"/> around every call.
/// <para>
/// Sending: written bytes are copied once, into the packet buffers that are sent and resent, so a packet's
/// size is fixed when it is written (the last one grows while it waits). Congestion control is LEDBAT as BEP 29
/// gives it, with libtorrent's slow start; losses are found by three duplicate acks or three selective acks past
/// a hole, and by timeouts, which a tail loss probe (see <see cref="SendTailProbe"/>) mostly forestalls. Path MTU
/// discovery, as libtorrent does it: packets are written at the floor, the largest size known to pass; one probe at
/// a time, an empty packet padded to the middle of [floor, ceiling] (see <see cref="InsertProbe"/>), goes before
/// the queued data; its ack raises the floor, its loss lowers the ceiling (and it goes again unpadded), until the two
/// meet. A probe's loss is not congestion: the window is not cut. Receiving: in-order payloads are copied into a
/// ring that reads drain; packets ahead of a hole wait in a reorder ring; both together never exceed the window we
/// advertise.
/// </para>
/// </summary>
internal sealed class UtpConnection
{
    /// <summary>Packets a connection tracks in each direction: a power of two, well under half the 16-bit sequence space.</summary>
    public const int Ring = 1024;

    /// <summary>BEP 29: the queuing delay LEDBAT aims for.</summary>
    public const long TargetDelay = 100_000;

    /// <summary>BEP 29: the first timeout, before any round trip is measured.</summary>
    public const long InitialTimeout = 1_000_000;

    /// <summary>BEP 29: no packet times out sooner.</summary>
    public const long MinimumTimeout = 500_000;

    /// <summary>Consecutive timeouts after which a connection is given up (libtorrent resends a few times too); a SYN gets fewer.</summary>
    public const int MaxTimeouts = 5;

    public const int MaxSynTimeouts = 3;

    /// <summary>Packets one <see cref="Flush"/> sends at most; the acks they bring start the next.</summary>
    public const int MaxPacketsPerFlush = 256;

    private const int Mask = Ring - 1;
    private const int DuplicateAckThreshold = 3;

    /// <summary>
    /// BEP 29's MAX_CWND_INCREASE_PACKETS_PER_RTT, which it leaves open, in bytes: how much the window grows in a round
    /// trip with no queuing delay. libutp (MAX_CWND_INCREASE_BYTES_PER_RTT) and libtorrent (utp_gain_factor) use 3000;
    /// one packet (1380), as TCP grows, held a path with 1 % random loss at two thirds of libtorrent's speed, since
    /// each loss halves the window and it then takes twice as long to grow back (issue 16's lab).
    /// </summary>
    private const double MaxWindowIncrease = 3000;
    private const long MaxBackoff = 60_000_000;
    private const double MaxWindow = 64 << 20;

    /// <summary>The search ends once ceiling and floor are this close.</summary>
    private const int MtuResolution = 16;

    private readonly UtpClock _clock;
    private readonly IUtpSink _sink;
    private readonly int _mtuMax;
    private readonly long _mtuSearchInterval;
    private readonly int _receiveCapacity;
    private readonly int _sendCapacity;
    private readonly OutPacket[] _out = new OutPacket[Ring];
    private readonly InPacket[] _in = new InPacket[Ring];
    private readonly byte[] _control = new byte[UtpPacket.HeaderLength(UtpPacket.MaxSelectiveAckLength)];

    // Path MTU discovery: new packets are _packetSize (the floor) long; _mtuProbe is the seq_nr of the probe in flight.
    private int _packetSize;
    private int _mtuCeiling;
    private bool _mtuProbing;
    private ushort _mtuProbe;
    private long _mtuSearchAt;
    private long _probeLosses;
    private long _congestionCuts;

    // Sending: packets [_ackedTo + 1, _seqNr) exist; [_ackedTo + 1, _sendNext) went out at least once.
    private ushort _seqNr;
    private long _timeoutCount;
    private long _fastResendCount;
    private long _duplicateCount;
    private long _droppedCount;
    private long _tailProbeCount;
    private ushort _sendNext;
    private ushort _ackedTo;
    private int _queuedBytes;
    private long _inFlight;
    private int _resendCount;
    private int _duplicateAcks;
    private bool _finQueued;
    private bool _finAcked;
    private bool _probe;
    private uint _peerWindow;

    // Receiving: _ackNr is the last packet received in order.
    private ushort _ackNr;
    private byte[]? _receiveRing;
    private int _receiveHead;
    private int _receiveCount;
    private int _reorderBytes;
    private int _reorderCount;
    private bool _ackPending;
    private bool _hasEof;
    private ushort _eofSeq;
    private bool _eofReached;
    private bool _discardReceived;
    private uint _lastAdvertised;
    private uint _replyMicro;

    // Timing and congestion.
    private long _rtt;
    private long _rttVar;
    private long _timeout = InitialTimeout;
    private int _timeouts;
    private long _deadline = long.MaxValue;
    private long _tailProbeAt = long.MaxValue;
    private double _cwnd;
    private double _ssthresh = MaxWindow;
    private bool _slowStart = true;
    private bool _cwndLimited;
    private ushort _lossWindowEnd;
    private uint _baseDelayCurrent = uint.MaxValue;
    private uint _baseDelayPrevious = uint.MaxValue;
    private long _baseDelayMinute = -1;

    private UtpConnection(UtpClock clock, IUtpSink sink, ushort receiveId, ushort sendId, ushort seqNr, UtpConnectionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PacketSize, 150);
        _clock = clock;
        _sink = sink;
        ReceiveId = receiveId;
        SendId = sendId;
        _packetSize = options.PacketSize;
        _mtuMax = Math.Max(options.PacketSize, options.MaxPacketSize);
        _mtuCeiling = _mtuMax;
        _mtuSearchInterval = options.MtuSearchInterval.Ticks / 10;
        _receiveCapacity = options.ReceiveBufferSize;
        _sendCapacity = options.SendBufferSize;
        _seqNr = seqNr;
        _sendNext = seqNr;
        _ackedTo = (ushort)(seqNr - 1);
        _lossWindowEnd = seqNr;
        _cwnd = 2 * MaxPayload;
        _peerWindow = (uint)_packetSize;
    }

    /// <summary>Held by whoever calls in: the receive loop, the timer, the stream's reader and writer.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The connection id the peer puts in the packets it sends us.</summary>
    public ushort ReceiveId { get; }

    /// <summary>The connection id we put in our packets (after the SYN).</summary>
    public ushort SendId { get; }

    public UtpState State { get; private set; }

    /// <summary>Why the connection failed: ConnectionRefused, ConnectionReset or TimedOut.</summary>
    public SocketError Error { get; private set; }

    /// <summary>Raised (under <see cref="Gate"/>) when reading, writing or the state may have changed.</summary>
    public Action? Changed { get; set; }

    /// <summary>Bytes in order a read returns now.</summary>
    public int Available => _receiveCount;

    /// <summary>Whether the peer's stream ended and everything before its FIN was read.</summary>
    public bool IsEndOfStream => _eofReached && _receiveCount == 0;

    /// <summary>Whether <see cref="Write"/> would take a byte now.</summary>
    public bool CanWrite => State is UtpState.Connected or UtpState.SynReceived or UtpState.SynSent
        && !_finQueued && _queuedBytes < _sendCapacity && Outstanding < Ring - 2;

    /// <summary>Whether a waiting writer should wake: a quarter of the send buffer is free, or writing is over.</summary>
    public bool WantsData => State is UtpState.Failed or UtpState.Closed
        || (_queuedBytes <= _sendCapacity - (_sendCapacity / 4) && Outstanding < Ring * 3 / 4);

    /// <summary>Whether every byte written was acked (and the FIN too, once queued).</summary>
    public bool IsFlushed => Outstanding == 0;

    /// <summary>Whether the owner can forget the connection: failed, or closed by us with everything acked.</summary>
    public bool IsDone => State is UtpState.Failed or UtpState.Closed;

    /// <summary>When <see cref="Tick"/> next has work, in <see cref="UtpClock"/> microseconds; long.MaxValue for never.</summary>
    public long Deadline => _deadline;

    public double CongestionWindow => _cwnd;

    /// <summary>Counters for tests and diagnostics: timeouts that fired, packets resent on duplicate or selective acks, packets received twice or dropped for want of room.</summary>
    public (long Timeouts, long FastResends, long Duplicates, long Dropped) Counters => (_timeoutCount, _fastResendCount, _duplicateCount, _droppedCount);

    public long RoundTripTime => _rtt;

    /// <summary>The size of the packets written now (header included): the largest the path was found to pass.</summary>
    public int PacketSize => _packetSize;

    /// <summary>The smallest size the path was found (or assumed) to drop: the search's upper end.</summary>
    public int MtuCeiling => _mtuCeiling;

    /// <summary>Tail loss probes sent (see <see cref="SendTailProbe"/>), for tests and diagnostics.</summary>
    public long TailProbes => _tailProbeCount;

    /// <summary>MTU probes lost, and the times the congestion window was cut (a loss or a timeout) for tests and diagnostics.</summary>
    public (long ProbeLosses, long CongestionCuts) MtuCounters => (_probeLosses, _congestionCuts);

    /// <summary>The latest queuing delay measured (current one-way delay minus the base delay), in microseconds.</summary>
    public long QueuingDelay { get; private set; }

    public int MaxPayload => _packetSize - UtpPacket.HeaderSize;

    private int Outstanding => (ushort)(_seqNr - _ackedTo - 1);

    private int Sent => (ushort)(_sendNext - _ackedTo - 1);

    private uint FreeWindow => (uint)Math.Max(0, _receiveCapacity - _receiveCount - _reorderBytes);

    /// <summary>A one-line summary of the connection's numbers, for diagnostics.</summary>
    public override string ToString() =>
        $"{State} seq {_seqNr} next {_sendNext} acked {_ackedTo} ack {_ackNr} inflight {_inFlight} queued {_queuedBytes} resend {_resendCount} "
        + $"mtu {_packetSize}..{_mtuCeiling} cwnd {_cwnd:F0} peer {_peerWindow} recv {_receiveCount} reorder {_reorderCount} adv {_lastAdvertised} deadline {(_deadline == long.MaxValue ? -1 : _deadline - _clock.Now)} rtt {_rtt} timeout {_timeout}";

    /// <summary>
    /// Opens a connection to a peer (BEP 29 connection setup): we receive on <paramref name="receiveId"/>, send on
    /// <c>receiveId + 1</c>, and the SYN (carrying <paramref name="receiveId"/>) goes out on the first <see cref="Flush"/>.
    /// </summary>
    public static UtpConnection Connect(UtpClock clock, IUtpSink sink, ushort receiveId, ushort seqNr, UtpConnectionOptions options)
    {
        var connection = new UtpConnection(clock, sink, receiveId, (ushort)(receiveId + 1), seqNr, options) { State = UtpState.SynSent };
        connection.Queue(UtpType.Syn);
        return connection;
    }

    /// <summary>
    /// Answers a peer's SYN: the peer's id is what we send with, that + 1 what we receive on; our sequence numbers
    /// start at <paramref name="seqNr"/> (random, says the BEP). The ST_STATE goes out on the first <see cref="Flush"/>.
    /// </summary>
    public static UtpConnection Accept(UtpClock clock, IUtpSink sink, in UtpHeader syn, ushort seqNr, UtpConnectionOptions options)
    {
        var connection = new UtpConnection(clock, sink, (ushort)(syn.ConnectionId + 1), syn.ConnectionId, seqNr, options)
        {
            State = UtpState.SynReceived,
        };
        connection._ackNr = syn.SeqNr;
        connection._peerWindow = Math.Max(syn.WindowSize, (uint)options.PacketSize);
        connection._replyMicro = (uint)connection._clock.Now - syn.Timestamp;
        connection._ackPending = true;
        return connection;
    }

    /// <summary>Copies as much of <paramref name="data"/> as the send buffer takes; returns how much. Sends on the next <see cref="Flush"/>.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int written = 0;
        while (!data.IsEmpty && CanWrite)
        {
            int room = _sendCapacity - _queuedBytes;
            ref OutPacket last = ref _out[(ushort)(_seqNr - 1) & Mask];
            int capacity = Outstanding > 0 ? Math.Min(_packetSize, last.Buffer.Length) : 0;
            if (Outstanding > 0 && _seqNr != _sendNext && last.Type == UtpType.Data && last.Length < capacity)
            {
                // The last packet has not gone out yet: it takes more bytes (Nagle without the wait).
                int take = Math.Min(Math.Min(capacity - last.Length, data.Length), room);
                data[..take].CopyTo(last.Buffer.AsSpan(last.Length));
                last.Length += take;
                last.Payload += take;
                Commit(take, ref data, ref written);
                continue;
            }

            int size = Math.Min(Math.Min(MaxPayload, data.Length), room);
            ref OutPacket packet = ref Queue(UtpType.Data);
            data[..size].CopyTo(packet.Buffer.AsSpan(UtpPacket.HeaderSize));
            packet.Length += size;
            packet.Payload = size;
            Commit(size, ref data, ref written);
        }

        return written;
    }

    /// <summary>Copies in-order received bytes into <paramref name="destination"/>; 0 when none (see <see cref="IsEndOfStream"/>).</summary>
    public int Read(Span<byte> destination)
    {
        int read = 0;
        while (_receiveCount > 0 && !destination.IsEmpty)
        {
            int chunk = Math.Min(Math.Min(_receiveCount, destination.Length), _receiveCapacity - _receiveHead);
            _receiveRing.AsSpan(_receiveHead, chunk).CopyTo(destination);
            destination = destination[chunk..];
            _receiveHead = (_receiveHead + chunk) % _receiveCapacity;
            _receiveCount -= chunk;
            read += chunk;
        }

        if (_receiveCount == 0)
        {
            _receiveHead = 0;
        }

        // A window we had shut (or nearly) opens: the peer hears it now rather than at its next probe.
        if (read > 0 && _lastAdvertised < _receiveCapacity / 2 && FreeWindow >= _receiveCapacity / 2 && State == UtpState.Connected)
        {
            _ackPending = true;
        }

        return read;
    }

    /// <summary>Ends our direction after everything written (ST_FIN); reading may go on until the peer's FIN.</summary>
    public void Close()
    {
        if (_finQueued || State is UtpState.Failed or UtpState.Closed)
        {
            return;
        }

        if (State == UtpState.SynSent)
        {
            Fail(SocketError.OperationAborted, sendReset: false);
            return;
        }

        Queue(UtpType.Fin);
        _finQueued = true;
    }

    /// <summary>The stream is gone: close our direction and throw away what still arrives (acking it, so the peer finishes).</summary>
    public void Abandon()
    {
        _discardReceived = true;
        _receiveCount = 0;
        Close();
        ReturnReceiveBuffers();
        CheckClosed();
    }

    /// <summary>Fails the connection at once, telling the peer with ST_RESET.</summary>
    public void Reset()
    {
        if (State is not (UtpState.Failed or UtpState.Closed))
        {
            Fail(SocketError.OperationAborted, sendReset: State != UtpState.SynSent);
        }
    }

    /// <summary>Takes one packet addressed to this connection (its connection id already matched).</summary>
    public void OnPacket(in UtpHeader header, ReadOnlySpan<byte> selectiveAck, ReadOnlySpan<byte> payload)
    {
        if (State is UtpState.Failed)
        {
            return;
        }

        long now = _clock.Now;
        if (header.Type == UtpType.Reset)
        {
            Fail(State == UtpState.SynSent ? SocketError.ConnectionRefused : SocketError.ConnectionReset, sendReset: false);
            return;
        }

        if (header.Type == UtpType.Syn)
        {
            // Our ST_STATE was lost and the peer sent its SYN again: answer it again.
            if (State == UtpState.SynReceived && header.SeqNr == _ackNr)
            {
                _ackPending = true;
            }

            return;
        }

        if (State == UtpState.SynSent)
        {
            if (header.Type != UtpType.State || header.AckNr != (ushort)(_ackedTo + 1))
            {
                return;
            }

            // The ST_STATE carries the sequence number the peer sends next (libtorrent and libutp agree). We ack it at
            // once, though the BEP does not ask to: the peer then knows the connection is up before our first data.
            State = UtpState.Connected;
            _ackNr = (ushort)(header.SeqNr - 1);
            _ackPending = true;
            Changed?.Invoke();
        }
        else if (State == UtpState.SynReceived)
        {
            State = UtpState.Connected;
        }

        // The peer is alive: a window it keeps shut (a reader that does not read) is not a dead peer.
        _timeouts = 0;
        _replyMicro = (uint)now - header.Timestamp;
        _peerWindow = header.WindowSize;
        OnAck(header, selectiveAck, now);
        if (header.Type is UtpType.Data or UtpType.Fin)
        {
            OnData(header, payload);
        }

        CheckClosed();
    }

    /// <summary>Sends what the windows allow (resends first, then new packets) and a pending ack, bounded by <see cref="MaxPacketsPerFlush"/>.</summary>
    public void Flush()
    {
        if (State is UtpState.Failed)
        {
            return;
        }

        long now = _clock.Now;
        int sent = 0;
        if (_resendCount > 0)
        {
            for (ushort seq = (ushort)(_ackedTo + 1); seq != _sendNext && sent < MaxPacketsPerFlush && _resendCount > 0; seq++)
            {
                ref OutPacket packet = ref _out[seq & Mask];
                if (packet.NeedsResend)
                {
                    if (!WindowAllows(packet.Payload))
                    {
                        break;
                    }

                    packet.NeedsResend = false;
                    _resendCount--;
                    Transmit(seq, ref packet, now);
                    sent++;
                }
            }
        }

        while (_sendNext != _seqNr && sent < MaxPacketsPerFlush && State != UtpState.SynReceived)
        {
            int probe = ProbeSize(now);
            if (probe > 0)
            {
                InsertProbe();
            }

            ref OutPacket packet = ref _out[_sendNext & Mask];
            if ((State == UtpState.SynSent && packet.Type != UtpType.Syn) || !WindowAllows(packet.Payload))
            {
                break;
            }

            Transmit(_sendNext, ref packet, now, probe);
            _sendNext++;
            sent++;
        }

        // Data packets carry our ack_nr; a selective ack (or an answer to a SYN) needs an ST_STATE of its own.
        if (_ackPending && (sent == 0 || _reorderCount > 0))
        {
            SendState(now);
        }

        _ackPending = false;
        if (_deadline == long.MaxValue && _sendNext != _seqNr && State == UtpState.Connected)
        {
            _deadline = now + _timeout;
        }
    }

    /// <summary>Fires what is due: a timeout marks every packet in flight for resending with the window at one packet.</summary>
    public void Tick()
    {
        long now = _clock.Now;
        if (State is UtpState.Failed or UtpState.Closed || now < _deadline)
        {
            if (now >= _tailProbeAt)
            {
                SendTailProbe(now);
            }

            Flush();
            return;
        }

        if (Sent == 0)
        {
            // Nothing in flight at the deadline: data waits for a window the peer has not opened, so one packet probes it.
            _deadline = long.MaxValue;
            _probe = _sendNext != _seqNr;
            Flush();
            _probe = false;
            return;
        }

        if (ProbeAloneTimedOut())
        {
            // Only the probe went unanswered: the path dropped it for its size. It goes again unpadded, and the
            // window stays as it was.
            ref OutPacket probe = ref _out[_mtuProbe & Mask];
            ProbeLost(ref probe);
            probe.NeedsResend = true;
            _resendCount++;
            _inFlight -= probe.Payload;
            _deadline = now + _timeout;
            Flush();
            return;
        }

        // A timeout of more than the probe says nothing of its size: the search takes it up again later.
        if (_mtuProbing)
        {
            _out[_mtuProbe & Mask].ProbeSize = 0;
            _mtuProbing = false;
        }

        _timeouts++;
        _timeoutCount++;
        _congestionCuts++;
        if (_timeouts > (State == UtpState.SynSent ? MaxSynTimeouts : MaxTimeouts))
        {
            Fail(SocketError.TimedOut, sendReset: State != UtpState.SynSent);
            return;
        }

        // BEP 29: back to one packet; libtorrent restarts slow start towards half the window it had. Losses found
        // later among the packets already sent belong to this timeout and do not cut the window again (libtorrent).
        _ssthresh = Math.Max(_cwnd / 2, MaxPayload);
        _cwnd = MaxPayload;
        _slowStart = true;
        _duplicateAcks = 0;
        _lossWindowEnd = _sendNext;
        _tailProbeAt = long.MaxValue;
        for (ushort seq = (ushort)(_ackedTo + 1); seq != _sendNext; seq++)
        {
            ref OutPacket packet = ref _out[seq & Mask];
            packet.FastResent = false;
            if (!packet.Acked && !packet.NeedsResend)
            {
                packet.NeedsResend = true;
                _resendCount++;
                _inFlight -= packet.Payload;
            }
        }

        _deadline = now + Math.Min(_timeout << Math.Min(_timeouts, 20), MaxBackoff);
        Flush();
    }

    private ref OutPacket Queue(UtpType type)
    {
        ref OutPacket packet = ref _out[_seqNr & Mask];
        packet = new OutPacket
        {
            Buffer = ArrayPool<byte>.Shared.Rent(_packetSize),
            Length = UtpPacket.HeaderSize,
            Type = type,
        };
        _seqNr++;
        return ref packet;
    }

    private void Commit(int count, ref ReadOnlySpan<byte> data, ref int written)
    {
        _queuedBytes += count;
        written += count;
        data = data[count..];
    }

    private bool WindowAllows(int payload)
    {
        long window = Math.Min((long)_cwnd, _peerWindow);
        _cwndLimited |= _inFlight + payload > _cwnd;
        if (_inFlight + payload <= window)
        {
            return true;
        }

        // BEP 29 lets one packet go when the congestion window is smaller than a packet. A peer's window too small
        // for it is different: the peer would drop it, so it waits for the peer's window update, or for a timeout's
        // probe (the update may be lost).
        return _inFlight == 0 && (payload <= _peerWindow || _probe);
    }

    private void Transmit(ushort seq, ref OutPacket packet, long now, int probeSize = 0)
    {
        var header = new UtpHeader
        {
            Type = packet.Type,
            ConnectionId = packet.Type == UtpType.Syn ? ReceiveId : SendId,
            Timestamp = (uint)now,
            TimestampDifference = _replyMicro,
            WindowSize = Advertise(),
            SeqNr = seq,
            AckNr = _ackNr,
        };
        UtpPacket.Write(packet.Buffer, header, default);
        packet.Transmissions++;
        packet.SentAt = now;
        _inFlight += packet.Payload;
        if (_deadline == long.MaxValue)
        {
            _deadline = now + _timeout;
            ArmTailProbe(now);
        }

        if (probeSize > 0 && SendProbe(seq, ref packet, probeSize))
        {
            return;
        }

        _sink.Send(packet.Buffer.AsSpan(0, packet.Length));
    }

    /// <summary>
    /// The size to probe with before the next packet goes out, or 0: when connected, no probe in flight, the search
    /// not over (or due again), and enough packets queued to go behind it that their acks tell its loss quickly.
    /// </summary>
    private int ProbeSize(long now)
    {
        if (_mtuMax <= _packetSize || _mtuProbing || State != UtpState.Connected
            || (ushort)(_seqNr - _sendNext) <= DuplicateAckThreshold || Outstanding >= Ring - 2)
        {
            return 0;
        }

        if (_mtuCeiling - _packetSize < MtuResolution)
        {
            if (now < _mtuSearchAt)
            {
                return 0;
            }

            _mtuCeiling = _mtuMax;
        }

        return (_packetSize + _mtuCeiling + 1) / 2;
    }

    /// <summary>
    /// Puts an empty ST_DATA packet before the queued ones (which have not gone out, so their sequence numbers move up
    /// by one): the probe, padded when it goes. It carries no data, so however a receiver cuts it (libtorrent reads
    /// 1500 bytes of a datagram and silently drops the rest), it cannot take a shortened payload: cut, its padding runs
    /// past the end and the packet does not parse. Lost, it goes again as 20 bytes. (BEP 29 says ST_DATA carries a
    /// payload; libtorrent and libutp take an empty one as a packet with nothing to deliver, and ack it.)
    /// </summary>
    private void InsertProbe()
    {
        for (ushort seq = (ushort)(_seqNr - 1); seq != (ushort)(_sendNext - 1); seq--)
        {
            _out[(seq + 1) & Mask] = _out[seq & Mask];
        }

        _out[_sendNext & Mask] = new OutPacket
        {
            Buffer = ArrayPool<byte>.Shared.Rent(UtpPacket.HeaderSize),
            Length = UtpPacket.HeaderSize,
            Type = UtpType.Data,
        };
        _seqNr++;
    }

    private bool SendProbe(ushort seq, ref OutPacket packet, int probeSize)
    {
        // The header, then padding to the end: the packet carries nothing else.
        byte[] datagram = ArrayPool<byte>.Shared.Rent(probeSize);
        try
        {
            packet.Buffer.AsSpan(0, UtpPacket.HeaderSize).CopyTo(datagram);
            datagram[1] = UtpPacket.PaddingExtension;
            UtpPacket.WritePadding(datagram.AsSpan(UtpPacket.HeaderSize, probeSize - UtpPacket.HeaderSize));
            packet.ProbeSize = probeSize;
            _mtuProbing = true;
            _mtuProbe = seq;
            if (_sink.SendProbe(datagram.AsSpan(0, probeSize)))
            {
                return true;
            }

            // Too large for the link as the system knows it: lost before it left, and it goes now unpadded.
            ProbeLost(ref packet);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(datagram);
        }
    }

    /// <summary>
    /// A tail loss probe (RFC 8985, section 7) is due two round trips after the last progress. A receiver acks a burst
    /// once (libtorrent too), so one lost ack, or a lost packet with too few behind it to tell, leaves a window unacked
    /// until the timeout: at least 500 ms (BEP 29), then one packet of window. On a 50 ms path with 1 % loss each way
    /// that happened every few seconds.
    /// </summary>
    private void ArmTailProbe(long now)
    {
        long probeTimeout = 2 * _rtt;
        _tailProbeAt = _rtt > 0 && probeTimeout < _timeout ? now + probeTimeout : long.MaxValue;
    }

    /// <summary>
    /// Sends the last packet in flight again, outside the window and without counting it as in flight (it is a copy):
    /// the receiver acks it, so a lost ack is made good and a lost tail packet is resent, or the ack's selective acks
    /// tell what was lost, long before the timeout. One probe per progress.
    /// </summary>
    private void SendTailProbe(long now)
    {
        _tailProbeAt = long.MaxValue;
        if (State != UtpState.Connected)
        {
            return;
        }

        for (ushort seq = (ushort)(_sendNext - 1); seq != _ackedTo; seq--)
        {
            ref OutPacket packet = ref _out[seq & Mask];
            if (!packet.Acked && !packet.NeedsResend && packet.ProbeSize == 0 && packet.Type != UtpType.Syn)
            {
                Transmit(seq, ref packet, now);
                _inFlight -= packet.Payload;
                _tailProbeCount++;
                return;
            }
        }
    }

    /// <summary>Whether the probe is the only packet sent and not acked: a timeout is then its loss alone.</summary>
    private bool ProbeAloneTimedOut()
    {
        if (!_mtuProbing)
        {
            return false;
        }

        for (ushort seq = (ushort)(_ackedTo + 1); seq != _sendNext; seq++)
        {
            ref OutPacket packet = ref _out[seq & Mask];
            if (!packet.Acked && seq != _mtuProbe)
            {
                return false;
            }
        }

        return !_out[_mtuProbe & Mask].Acked && _out[_mtuProbe & Mask].ProbeSize > 0;
    }

    private void ProbeAcked(ref OutPacket packet)
    {
        _packetSize = Math.Max(_packetSize, packet.ProbeSize);
        packet.ProbeSize = 0;
        _cwnd = Math.Max(_cwnd, MaxPayload);
        MtuUpdated();
    }

    private void ProbeLost(ref OutPacket packet)
    {
        _mtuCeiling = Math.Max(_packetSize, packet.ProbeSize - 1);
        packet.ProbeSize = 0;
        _probeLosses++;
        MtuUpdated();
    }

    private void MtuUpdated()
    {
        _mtuProbing = false;
        if (_mtuCeiling - _packetSize < MtuResolution)
        {
            _mtuSearchAt = _clock.Now + _mtuSearchInterval;
        }
    }

    private void SendState(long now)
    {
        Span<byte> sack = stackalloc byte[UtpPacket.MaxSelectiveAckLength];
        int sackLength = 0;
        if (_reorderCount > 0)
        {
            // Bit i is ack_nr + 2 + i (BEP 29); the reorder ring never holds a packet past ack_nr + Ring - 1.
            for (int i = 0; i < Ring - 2; i++)
            {
                if (_in[(_ackNr + 2 + i) & Mask].Present)
                {
                    UtpPacket.SetSelectivelyAcked(sack, i);
                    sackLength = ((i >> 5) + 1) * 4;
                }
            }
        }

        var header = new UtpHeader
        {
            Type = UtpType.State,
            ConnectionId = SendId,
            Timestamp = (uint)now,
            TimestampDifference = _replyMicro,
            WindowSize = Advertise(),
            SeqNr = _sendNext,
            AckNr = _ackNr,
        };
        int length = UtpPacket.Write(_control, header, sack[..sackLength]);
        _sink.Send(_control.AsSpan(0, length));
    }

    private uint Advertise() => _lastAdvertised = FreeWindow;

    private void OnAck(in UtpHeader header, ReadOnlySpan<byte> selectiveAck, long now)
    {
        int advance = (ushort)(header.AckNr - _ackedTo);
        if (advance > Sent)
        {
            // Acks a packet we never sent (or one long acked): nothing to learn from it.
            return;
        }

        long ackedBytes = 0;
        bool progressed = advance > 0;
        for (int i = 0; i < advance; i++)
        {
            ushort seq = (ushort)(_ackedTo + 1);
            ref OutPacket packet = ref _out[seq & Mask];
            ackedBytes += Acknowledge(ref packet, now);
            if (packet.Type == UtpType.Fin)
            {
                _finAcked = true;
            }

            _queuedBytes -= packet.Payload;
            ArrayPool<byte>.Shared.Return(packet.Buffer);
            packet = default;
            _ackedTo = seq;
        }

        if (progressed)
        {
            _duplicateAcks = 0;
            _timeouts = 0;
        }
        else if (header.Type == UtpType.State && selectiveAck.IsEmpty && Sent > 0)
        {
            // BEP 29: three duplicate acks mean ack_nr + 1 was lost.
            if (++_duplicateAcks == DuplicateAckThreshold)
            {
                MarkLost((ushort)(_ackedTo + 1));
            }
        }

        if (!selectiveAck.IsEmpty)
        {
            ackedBytes += OnSelectiveAck(header.AckNr, selectiveAck, now);
        }

        if (Sent == 0)
        {
            _deadline = long.MaxValue;
            _tailProbeAt = long.MaxValue;
        }
        else if (progressed)
        {
            _deadline = now + _timeout;
            ArmTailProbe(now);
        }

        if (ackedBytes > 0)
        {
            OnDelaySample(header.TimestampDifference, ackedBytes, now);
        }

        if (progressed)
        {
            Changed?.Invoke();
        }
    }

    private long Acknowledge(ref OutPacket packet, long now)
    {
        if (packet.Acked)
        {
            return 0;
        }

        packet.Acked = true;
        if (packet.ProbeSize > 0)
        {
            ProbeAcked(ref packet);
        }

        if (packet.NeedsResend)
        {
            packet.NeedsResend = false;
            _resendCount--;
        }
        else
        {
            _inFlight -= packet.Payload;
        }

        // BEP 29: only packets sent once give a round trip (which copy was acked is unknown otherwise).
        if (packet.Transmissions == 1)
        {
            long sample = now - packet.SentAt;
            if (_rtt == 0)
            {
                _rtt = sample;
                _rttVar = sample / 2;
            }
            else
            {
                long delta = _rtt - sample;
                _rttVar += (Math.Abs(delta) - _rttVar) / 4;
                _rtt += (sample - _rtt) / 8;
            }

            _timeout = Math.Max(_rtt + _rttVar * 4, MinimumTimeout);
        }

        return packet.Payload;
    }

    private long OnSelectiveAck(ushort ackNr, ReadOnlySpan<byte> selectiveAck, long now)
    {
        long ackedBytes = 0;
        int bits = selectiveAck.Length * 8;
        int sent = Sent;
        int first = (ushort)(ackNr + 2 - _ackedTo - 1);
        int highest = -1;
        for (int i = bits - 1; i >= 0; i--)
        {
            int offset = first + i;
            if (offset < sent && UtpPacket.IsSelectivelyAcked(selectiveAck, i))
            {
                ackedBytes += Acknowledge(ref _out[(_ackedTo + 1 + offset) & Mask], now);
                highest = Math.Max(highest, offset);
            }
        }

        // BEP 29 and libtorrent: a packet with three or more selectively acked packets after it was lost.
        int ackedAfter = 0;
        for (int offset = highest; offset >= 0; offset--)
        {
            ushort seq = (ushort)(_ackedTo + 1 + offset);
            if (_out[seq & Mask].Acked)
            {
                ackedAfter++;
            }
            else if (ackedAfter >= DuplicateAckThreshold)
            {
                MarkLost(seq);
            }
        }

        return ackedBytes;
    }

    private void MarkLost(ushort seq)
    {
        ref OutPacket packet = ref _out[seq & Mask];
        if (packet.Buffer is null || packet.Acked || packet.NeedsResend || packet.FastResent || packet.Transmissions == 0)
        {
            return;
        }

        packet.FastResent = true;
        _fastResendCount++;
        packet.NeedsResend = true;
        _resendCount++;
        _inFlight -= packet.Payload;
        if (packet.ProbeSize > 0)
        {
            // A probe lost says the path is narrower than it, not that it is congested: the window stays.
            ProbeLost(ref packet);
            return;
        }

        // BEP 29: a loss halves the window, once per window of packets (as TCP does), and ends slow start.
        if ((short)(seq - _lossWindowEnd) >= 0)
        {
            _cwnd = Math.Max(_cwnd / 2, MaxPayload);
            _congestionCuts++;
            _ssthresh = _cwnd;
            _slowStart = false;
            _lossWindowEnd = _sendNext;
        }
    }

    /// <summary>
    /// LEDBAT (BEP 29): the peer's <c>timestamp_difference</c> is our one-way delay to it plus a clock offset; its
    /// minimum over two minutes (two per-minute minima) is the base delay, and the rest is queuing. The window
    /// grows or shrinks by up to one packet per round trip in proportion to how far the queuing is from 100 ms.
    /// </summary>
    private void OnDelaySample(uint delay, long ackedBytes, long now)
    {
        bool limited = _cwndLimited;
        _cwndLimited = false;
        if (delay == 0)
        {
            // BEP 29: a peer without a sample yet sends 0; grow as in slow start only.
            if (_slowStart && limited)
            {
                _cwnd = Math.Min(_cwnd + ackedBytes, MaxWindow);
            }

            return;
        }

        long minute = now / 60_000_000;
        if (minute != _baseDelayMinute)
        {
            _baseDelayPrevious = minute == _baseDelayMinute + 1 ? _baseDelayCurrent : uint.MaxValue;
            _baseDelayCurrent = delay;
            _baseDelayMinute = minute;
        }
        else if ((int)(delay - _baseDelayCurrent) < 0)
        {
            _baseDelayCurrent = delay;
        }

        uint baseDelay = _baseDelayPrevious == uint.MaxValue || (int)(_baseDelayCurrent - _baseDelayPrevious) < 0
            ? _baseDelayCurrent
            : _baseDelayPrevious;
        long ourDelay = Math.Max(0, (int)(delay - baseDelay));
        QueuingDelay = ourDelay;
        double offTarget = TargetDelay - ourDelay;
        double gain = MaxWindowIncrease * (offTarget / TargetDelay) * ackedBytes / Math.Max(_cwnd, ackedBytes);

        if (_slowStart)
        {
            // libtorrent's slow start: the window grows by what was acked until the first delay signal or loss.
            if (ourDelay < TargetDelay / 2 && _cwnd < _ssthresh)
            {
                gain = Math.Max(gain, ackedBytes);
            }
            else
            {
                _slowStart = false;
            }
        }

        // A window the sender does not fill says nothing about the path: it does not grow.
        if (gain > 0 && !limited)
        {
            return;
        }

        _cwnd = Math.Clamp(_cwnd + gain, MaxPayload, MaxWindow);
    }

    private void OnData(in UtpHeader header, ReadOnlySpan<byte> payload)
    {
        ushort seq = header.SeqNr;
        if (header.Type == UtpType.Fin && !_hasEof)
        {
            _hasEof = true;
            _eofSeq = seq;
        }

        if (_hasEof && (short)(seq - _eofSeq) > 0)
        {
            return;
        }

        _ackPending = true;
        int distance = (ushort)(seq - _ackNr);
        if (distance == 0 || distance >= Ring - 1)
        {
            // A duplicate (our ack was lost: it goes again) or far out of any window we would have opened.
            _duplicateCount++;
            return;
        }

        if (distance > 1)
        {
            ref InPacket slot = ref _in[seq & Mask];
            if (slot.Present || payload.Length > FreeWindow)
            {
                return;
            }

            slot.Present = true;
            slot.Length = payload.Length;
            if (payload.Length > 0 && !_discardReceived)
            {
                slot.Buffer = ArrayPool<byte>.Shared.Rent(payload.Length);
                payload.CopyTo(slot.Buffer);
                _reorderBytes += payload.Length;
            }

            _reorderCount++;
            return;
        }

        if (!Deliver(payload))
        {
            return;
        }

        _ackNr = seq;
        while (_reorderCount > 0)
        {
            ref InPacket next = ref _in[(ushort)(_ackNr + 1) & Mask];
            if (!next.Present)
            {
                break;
            }

            _reorderBytes -= next.Buffer is null ? 0 : next.Length;
            Deliver(next.Buffer is null ? default : next.Buffer.AsSpan(0, next.Length));
            if (next.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(next.Buffer);
            }

            next = default;
            _reorderCount--;
            _ackNr++;
        }

        if (_hasEof && _ackNr == _eofSeq)
        {
            _eofReached = true;
        }

        Changed?.Invoke();
    }

    private bool Deliver(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty || _discardReceived)
        {
            return true;
        }

        if (payload.Length > _receiveCapacity - _receiveCount)
        {
            // The peer sent past our window: drop it; it comes again once the reader made room.
            _droppedCount++;
            return false;
        }

        _receiveRing ??= ArrayPool<byte>.Shared.Rent(_receiveCapacity);
        int tail = (_receiveHead + _receiveCount) % _receiveCapacity;
        int first = Math.Min(payload.Length, _receiveCapacity - tail);
        payload[..first].CopyTo(_receiveRing.AsSpan(tail));
        payload[first..].CopyTo(_receiveRing);
        _receiveCount += payload.Length;
        return true;
    }

    private void CheckClosed()
    {
        // Closed once our FIN is acked and the peer's stream ended (or we no longer read it).
        if (State == UtpState.Connected && _finAcked && (_eofReached || _discardReceived))
        {
            State = UtpState.Closed;
            _deadline = long.MaxValue;
            Changed?.Invoke();
        }
    }

    private void Fail(SocketError error, bool sendReset)
    {
        if (sendReset)
        {
            var header = new UtpHeader
            {
                Type = UtpType.Reset,
                ConnectionId = SendId,
                Timestamp = (uint)_clock.Now,
                TimestampDifference = _replyMicro,
                SeqNr = _sendNext,
                AckNr = _ackNr,
            };
            int length = UtpPacket.Write(_control, header, default);
            _sink.Send(_control.AsSpan(0, length));
        }

        State = UtpState.Failed;
        Error = error;
        _deadline = long.MaxValue;
        for (int i = 0; i < Ring; i++)
        {
            if (_out[i].Buffer is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _out[i] = default;
        }

        _seqNr = _sendNext = (ushort)(_ackedTo + 1);
        _queuedBytes = 0;
        _inFlight = 0;
        _resendCount = 0;
        _receiveCount = 0;
        ReturnReceiveBuffers();
        Changed?.Invoke();
    }

    private void ReturnReceiveBuffers()
    {
        for (int i = 0; i < Ring; i++)
        {
            if (_in[i].Buffer is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _in[i] = default;
        }

        _reorderBytes = 0;
        _reorderCount = 0;
        if (_receiveCount == 0 && _receiveRing is { } ring)
        {
            ArrayPool<byte>.Shared.Return(ring);
            _receiveRing = null;
        }
    }

    private struct OutPacket
    {
        public byte[] Buffer;
        public int Length;
        public int Payload;
        public UtpType Type;
        public long SentAt;
        public int Transmissions;
        public bool Acked;
        public bool NeedsResend;
        public bool FastResent;

        /// <summary>The size this packet went out padded to as an MTU probe, until acked or lost; 0 for none.</summary>
        public int ProbeSize;
    }

    private struct InPacket
    {
        public byte[]? Buffer;
        public int Length;
        public bool Present;
    }
}
