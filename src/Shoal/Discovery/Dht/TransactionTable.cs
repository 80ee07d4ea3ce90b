using System.Buffers.Binary;
using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Matches responses to queries by 2-byte transaction id and source endpoint; bounded in size.</summary>
internal sealed class TransactionTable(int capacity, Random random)
{
    public const int IdSize = 2;

    private readonly Dictionary<ushort, PendingQuery> _pending = [];
    private ushort _next = (ushort)random.Next(ushort.MaxValue + 1);

    public int Count => _pending.Count;

    /// <summary>Registers a query; returns its transaction id, or null when the table is full.</summary>
    public byte[]? Add(PendingQuery query)
    {
        if (_pending.Count >= capacity)
        {
            return null;
        }

        while (_pending.ContainsKey(_next))
        {
            _next++;
        }

        ushort id = _next++;
        _pending.Add(id, query);
        var bytes = new byte[IdSize];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, id);
        return bytes;
    }

    /// <summary>Removes and returns the query a response answers, if the id and the sender both match.</summary>
    public PendingQuery? Take(ReadOnlySpan<byte> transactionId, IPEndPoint from)
    {
        if (transactionId.Length != IdSize)
        {
            return null;
        }

        ushort id = BinaryPrimitives.ReadUInt16BigEndian(transactionId);
        if (!_pending.TryGetValue(id, out PendingQuery? query) || !query.To.Equals(from))
        {
            return null;
        }

        _pending.Remove(id);
        return query;
    }

    public List<PendingQuery> RemoveExpired(DateTimeOffset now)
    {
        var expired = new List<PendingQuery>();
        foreach (var (id, query) in _pending)
        {
            if (query.Deadline <= now)
            {
                _pending.Remove(id);
                expired.Add(query);
            }
        }

        return expired;
    }
}
