using Shoal.Metainfo;
using Shoal.Swarm;

namespace Shoal.Net.WebSeeds;

/// <summary>
/// The blocks the swarm asked a web seed for and that no HTTP request has taken yet. They are taken in runs of blocks
/// adjacent in the torrent's address space (the blocks of one piece, and of the next piece when it follows), so that one
/// HTTP range fetches many blocks (BEP 19 asks clients not to hit servers with one request per block). Thread-safe: the
/// swarm adds and cancels under its lock, the HTTP loops take.
/// </summary>
internal sealed class WebSeedRequests(Torrent torrent, int maxPending, int maxRunBytes)
{
    private readonly Lock _gate = new();
    private readonly List<BlockRef> _pending = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Queues a requested block. Past <c>maxPending</c> the oldest is dropped: the swarm asks for at most its queue, so
    /// more waiting means requests it timed out and gave to others (it takes a late block still, if it wants it).
    /// </summary>
    public void Add(BlockRef block)
    {
        lock (_gate)
        {
            if (_pending.Contains(block))
            {
                return;
            }

            if (_pending.Count >= maxPending)
            {
                _pending.RemoveAt(0);
            }

            _pending.Add(block);
        }
    }

    /// <summary>Takes back a block no request has taken yet (the swarm cancelled it).</summary>
    public bool Remove(BlockRef block)
    {
        lock (_gate)
        {
            return _pending.Remove(block);
        }
    }

    /// <summary>
    /// Moves the oldest waiting block and those that follow it without a gap, up to <c>maxRunBytes</c>, to
    /// <paramref name="run"/> in address order; false when nothing waits.
    /// </summary>
    public bool TryTakeRun(List<BlockRef> run)
    {
        run.Clear();
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return false;
            }

            BlockRef first = _pending[0];
            _pending.RemoveAt(0);
            run.Add(first);
            long end = End(first);
            int bytes = first.Length;
            while (bytes < maxRunBytes)
            {
                int next = _pending.FindIndex(block => Start(block) == end);
                if (next < 0 || bytes + _pending[next].Length > maxRunBytes)
                {
                    break;
                }

                BlockRef block = _pending[next];
                _pending.RemoveAt(next);
                run.Add(block);
                end = End(block);
                bytes += block.Length;
            }

            return true;
        }
    }

    private long Start(BlockRef block) => torrent.PieceOffset(block.Piece) + block.Begin;

    private long End(BlockRef block) => Start(block) + block.Length;
}
