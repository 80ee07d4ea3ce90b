namespace Shoal.Swarm;

/// <summary>
/// Our requests a peer has not answered, oldest first. Peers answer in order, so taking the oldest is
/// O(1); membership (endgame asks it for every block) is a set lookup.
/// </summary>
internal sealed class OutstandingRequests
{
    private readonly List<PendingRequest> _items = [];
    private readonly HashSet<BlockRef> _blocks = [];
    private int _head;

    public int Count => _blocks.Count;

    public PendingRequest Oldest => _items[_head];

    public void Add(BlockRef block, TimeSpan sentAt)
    {
        if (_blocks.Add(block))
        {
            _items.Add(new PendingRequest(block, sentAt));
        }
    }

    public bool Contains(BlockRef block) => _blocks.Contains(block);

    public bool Remove(BlockRef block)
    {
        if (!_blocks.Remove(block))
        {
            return false;
        }

        if (_items[_head].Block == block)
        {
            _head++;
            if (_head == _items.Count || _head >= 1024)
            {
                _items.RemoveRange(0, _head);
                _head = 0;
            }

            return true;
        }

        for (int i = _head + 1; i < _items.Count; i++)
        {
            if (_items[i].Block == block)
            {
                _items.RemoveAt(i);
                break;
            }
        }

        return true;
    }

    /// <summary>Takes every request out, adding their blocks to <paramref name="released"/>.</summary>
    public void Clear(List<BlockRef> released)
    {
        for (int i = _head; i < _items.Count; i++)
        {
            released.Add(_items[i].Block);
        }

        _items.Clear();
        _blocks.Clear();
        _head = 0;
    }
}

/// <summary>A request we sent and when.</summary>
internal readonly record struct PendingRequest(BlockRef Block, TimeSpan SentAt);
