using System.Net;
using Shoal.Primitives;

namespace Shoal.Net;

/// <summary>
/// A bounded set of peer addresses a session learned something about (a peer that does not answer uTP, one that
/// refuses encryption), so the next dial does not try what failed. The oldest entry goes when it is full.
/// </summary>
internal sealed class PeerMemory(int capacity = PeerMemory.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private readonly HashSet<IPEndPoint> _entries = [];
    private readonly Queue<IPEndPoint> _order = new();
    private readonly Lock _gate = new();

    public bool Contains(IPEndPoint endPoint)
    {
        lock (_gate)
        {
            return _entries.Contains(IPv4Mapping.Unmap(endPoint));
        }
    }

    public void Add(IPEndPoint endPoint)
    {
        endPoint = IPv4Mapping.Unmap(endPoint);
        lock (_gate)
        {
            if (!_entries.Add(endPoint))
            {
                return;
            }

            _order.Enqueue(endPoint);
            if (_order.Count > capacity)
            {
                _entries.Remove(_order.Dequeue());
            }
        }
    }

    public void Remove(IPEndPoint endPoint)
    {
        lock (_gate)
        {
            // Left in the queue: it only costs a slot until it reaches the front.
            _entries.Remove(IPv4Mapping.Unmap(endPoint));
        }
    }
}
