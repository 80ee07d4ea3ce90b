using Shoal.Net.Utp;

namespace Shoal.Tests.Net.Utp;

/// <summary>One direction of a simulated path: loss, duplication, reordering, a propagation delay, and optionally a bottleneck of some rate with a tail-drop queue.</summary>
internal sealed record PathShape
{
    public double Loss { get; init; }

    public double Duplication { get; init; }

    /// <summary>The share of packets held back by up to <see cref="ReorderJitter"/>, so later ones overtake them.</summary>
    public double Reordering { get; init; }

    public TimeSpan ReorderJitter { get; init; } = TimeSpan.FromMilliseconds(30);

    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes per second through the bottleneck; 0 for none.</summary>
    public long Rate { get; init; }

    /// <summary>Bytes the bottleneck's queue holds before it drops.</summary>
    public long QueueLimit { get; init; } = long.MaxValue;

    /// <summary>The largest datagram the path carries (a link MTU less the IP and UDP headers); larger ones are dropped.</summary>
    public int Mtu { get; init; } = int.MaxValue;
}

/// <summary>
/// Two <see cref="UtpConnection"/>s over a simulated path on virtual time, stepped deterministically from a seed:
/// A connects, B is created from A's SYN. The connections' ticks run every 50 ms, as <see cref="UtpSocket"/>'s timer.
/// </summary>
internal sealed class SimulatedLink
{
    private static readonly long TickInterval = 50_000;

    private readonly ManualTimeProvider _time = new();
    private readonly UtpClock _clock;
    private readonly Random _random;
    private readonly PriorityQueue<(byte[] Datagram, bool ToB), (long At, long Order)> _inFlight = new();
    private readonly Direction _toB;
    private readonly Direction _toA;
    private readonly UtpConnectionOptions _options;
    private long _order;
    private long _nextTick;

    /// <summary>A's connection to B, its SYN sent at once (through <paramref name="drop"/>, when given: see <see cref="Drop"/>).</summary>
    public SimulatedLink(int seed, PathShape aToB, PathShape bToA, UtpConnectionOptions? options = null, Func<byte[], bool, bool>? drop = null)
    {
        Drop = drop;
        _clock = new UtpClock(_time);
        _random = new Random(seed);
        _options = options ?? new UtpConnectionOptions();
        _toB = new Direction(this, aToB, toB: true);
        _toA = new Direction(this, bToA, toB: false);
        A = UtpConnection.Connect(_clock, _toB, 0xFFFE, 0xFFF0, _options);
        A.Flush();
    }

    public UtpConnection A { get; }

    public UtpConnection? B { get; private set; }

    public long Now => _clock.Now;

    /// <summary>Drops the packets it returns true for, before the path's own losses (given the datagram and whether it goes to B).</summary>
    public Func<byte[], bool, bool>? Drop { get; set; }

    /// <summary>Whether the path is cut both ways (a peer that vanished).</summary>
    public bool Cut { get; set; }

    /// <summary>Queuing delays the A→B bottleneck gave its packets, as (when, delay) in microseconds.</summary>
    public List<(long At, long Delay)> QueueDelays { get; } = [];

    public long DeliveredToB { get; private set; }

    /// <summary>MTU probes sent either way, as (size, whether the path's MTU let it through).</summary>
    public List<(int Size, bool Fits)> Probes { get; } = [];

    /// <summary>A step of a bulk transfer A → B: A writes all it takes of <paramref name="chunk"/> (again and again), B reads all it can.</summary>
    public void Saturate(byte[] chunk, byte[] scratch)
    {
        while (A.Write(chunk) > 0)
        {
        }

        A.Flush();
        while (B!.Read(scratch) > 0)
        {
        }

        B.Flush();
    }

    /// <summary>Runs until the next event (a delivery or a tick), delivering and flushing; false once <paramref name="until"/> passed.</summary>
    public bool Step(long until)
    {
        long next = _nextTick;
        if (_inFlight.TryPeek(out _, out (long At, long Order) first) && first.At < next)
        {
            next = first.At;
        }

        if (next > until)
        {
            return false;
        }

        if (next > Now)
        {
            _time.Advance(TimeSpan.FromTicks((next - Now) * 10));
        }

        bool toA = false;
        bool toB = false;
        while (_inFlight.TryPeek(out (byte[] Datagram, bool ToB) packet, out (long At, long Order) at) && at.At <= Now)
        {
            _inFlight.Dequeue();
            Deliver(packet.Datagram, packet.ToB);
            toA |= !packet.ToB;
            toB |= packet.ToB;
        }

        // As the socket does: one flush after a burst of packets, so one ack answers it.
        if (toA)
        {
            A.Flush();
        }

        if (toB)
        {
            B?.Flush();
        }

        if (Now >= _nextTick)
        {
            A.Tick();
            B?.Tick();
            _nextTick = Now + TickInterval;
        }

        return true;
    }

    /// <summary>Steps until <paramref name="done"/> holds after a step, or the virtual clock reaches <paramref name="limit"/>.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit, Action? eachStep = null)
    {
        long until = Now + limit.Ticks / 10;
        while (Step(until))
        {
            eachStep?.Invoke();
            if (done())
            {
                return true;
            }
        }

        return done();
    }

    private void Deliver(byte[] datagram, bool toB)
    {
        if (!UtpPacket.TryRead(datagram, out UtpHeader header, out ReadOnlySpan<byte> sack, out ReadOnlySpan<byte> payload))
        {
            throw new InvalidOperationException("The connection sent a packet that does not parse.");
        }

        if (!toB)
        {
            A.OnPacket(header, sack, payload);
            return;
        }

        if (B is null)
        {
            if (header.Type != UtpType.Syn)
            {
                return;
            }

            B = UtpConnection.Accept(_clock, _toA, header, 0xFFF8, _options);
        }

        if (header.Type == UtpType.Data)
        {
            DeliveredToB += payload.Length;
        }

        B.OnPacket(header, sack, payload);
    }

    private sealed class Direction(SimulatedLink link, PathShape shape, bool toB) : IUtpSink
    {
        private long _busyUntil;

        public bool SendProbe(ReadOnlySpan<byte> datagram)
        {
            link.Probes.Add((datagram.Length, datagram.Length <= shape.Mtu));
            Send(datagram);
            return true;
        }

        public void Send(ReadOnlySpan<byte> datagram)
        {
            Random random = link._random;
            if (datagram.Length > shape.Mtu)
            {
                return;
            }

            if (link.Cut || random.NextDouble() < shape.Loss || link.Drop?.Invoke(datagram.ToArray(), toB) == true)
            {
                return;
            }

            long now = link.Now;
            long departure = now;
            if (shape.Rate > 0)
            {
                long start = Math.Max(now, _busyUntil);
                long queued = (start - now) * shape.Rate / 1_000_000;
                if (queued + datagram.Length > shape.QueueLimit)
                {
                    return;
                }

                if (toB)
                {
                    link.QueueDelays.Add((now, start - now));
                }

                _busyUntil = start + (datagram.Length * 1_000_000L / shape.Rate);
                departure = _busyUntil;
            }

            int copies = random.NextDouble() < shape.Duplication ? 2 : 1;
            for (int i = 0; i < copies; i++)
            {
                long arrival = departure + (shape.Delay.Ticks / 10);
                if (random.NextDouble() < shape.Reordering)
                {
                    arrival += random.NextInt64(shape.ReorderJitter.Ticks / 10);
                }

                link._inFlight.Enqueue((datagram.ToArray(), toB), (arrival, link._order++));
            }
        }
    }
}
