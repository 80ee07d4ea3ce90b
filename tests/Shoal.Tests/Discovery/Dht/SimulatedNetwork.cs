using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Dht;

/// <summary>An in-memory UDP network of DHT nodes: real KRPC bytes, delivered in order of virtual arrival time.</summary>
internal sealed class SimulatedNetwork
{
    private static readonly TimeSpan TickEvery = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<IPEndPoint, DhtNode> _nodes = [];
    private readonly PriorityQueue<(byte[] Datagram, IPEndPoint From, IPEndPoint To), TimeSpan> _inFlight = new();
    private readonly Random _random;
    private TimeSpan _nextTick;

    public SimulatedNetwork(int seed)
    {
        _random = new Random(seed);
    }

    public ManualTimeProvider Time { get; } = new();

    public List<(IPEndPoint EndPoint, DhtNode Node)> Members { get; } = [];

    public long Delivered { get; private set; }

    public long Lost { get; private set; }

    /// <summary>A node at 10.x.y.z (exempt from BEP 42), or at <paramref name="address"/>, with a random id unless <paramref name="id"/> is given.</summary>
    public DhtNode Add(DhtNodeOptions? options = null, IPAddress? address = null, NodeId? id = null)
    {
        int n = Members.Count + 1;
        var endPoint = new IPEndPoint(address ?? new IPAddress([10, (byte)(n >> 16), (byte)(n >> 8), (byte)n]), 6881);
        var node = new DhtNode(id ?? NodeId.CreateRandom(_random), new Sender(this, endPoint), Time, options, new Random(_random.Next()));
        _nodes.Add(endPoint, node);
        Members.Add((endPoint, node));
        return node;
    }

    /// <summary>Takes the node off the network: packets to it are lost.</summary>
    public void Remove(IPEndPoint endPoint) => _nodes.Remove(endPoint);

    /// <summary>Puts a removed member back on the network, as it was.</summary>
    public void Restore(IPEndPoint endPoint) => _nodes[endPoint] = Members.First(m => m.EndPoint.Equals(endPoint)).Node;

    public bool IsOnline(IPEndPoint endPoint) => _nodes.ContainsKey(endPoint);

    /// <summary>Delivers packets and ticks nodes until <paramref name="done"/> holds or nothing is left to do.</summary>
    public void RunUntil(Func<bool> done, TimeSpan limit)
    {
        TimeSpan deadline = Time.Elapsed + limit;
        while (!done() && Time.Elapsed < deadline)
        {
            if (_inFlight.TryPeek(out _, out TimeSpan arrival) && arrival < _nextTick)
            {
                var (datagram, from, to) = _inFlight.Dequeue();
                Time.Advance(arrival - Time.Elapsed);
                if (_nodes.TryGetValue(to, out DhtNode? node))
                {
                    Delivered++;
                    node.Receive(datagram, from);
                }
                else
                {
                    Lost++;
                }
            }
            else
            {
                Time.Advance(_nextTick - Time.Elapsed);
                _nextTick += TickEvery;
                foreach (DhtNode node in _nodes.Values)
                {
                    node.Tick();
                }
            }
        }
    }

    private sealed class Sender(SimulatedNetwork network, IPEndPoint self) : IDatagramSender
    {
        public void Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination)
        {
            TimeSpan latency = TimeSpan.FromMilliseconds(10 + network._random.Next(90));
            network._inFlight.Enqueue((datagram.ToArray(), self, destination), network.Time.Elapsed + latency);
        }
    }
}
