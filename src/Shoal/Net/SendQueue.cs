using System.Buffers;
using Shoal.Buffers;
using Shoal.Swarm;

namespace Shoal.Net;

/// <summary>
/// What a connection has to send, in order: runs of encoded messages (in pooled chunks) and blocks to
/// read from storage when their turn comes. The swarm appends under its lock; the send loop takes
/// everything flushed so far.
/// </summary>
internal sealed class SendQueue(BufferPool pool, int maxQueuedBlocks) : IBufferWriter<byte>
{
    private const int ChunkSize = 4096;
    private readonly Lock _gate = new();
    private readonly List<SendItem> _building = [];
    private List<SendItem> _ready = [];
    private int _queuedBlocks;

    /// <summary>The count of flushed or building items changed from none: the send loop should wake.</summary>
    public bool HasReady
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count > 0;
            }
        }
    }

    public Span<byte> GetSpan(int sizeHint = 0) => Tail(sizeHint).Chunk.AsSpan(Tail(sizeHint).Length);

    public Memory<byte> GetMemory(int sizeHint = 0) => Tail(sizeHint).Chunk.AsMemory(Tail(sizeHint).Length);

    public void Advance(int count)
    {
        SendItem tail = _building[^1];
        _building[^1] = tail with { Length = tail.Length + count };
    }

    public bool AddBlock(BlockRef block)
    {
        if (Volatile.Read(ref _queuedBlocks) >= maxQueuedBlocks)
        {
            return false;
        }

        Interlocked.Increment(ref _queuedBlocks);
        _building.Add(new SendItem(null, 0, block));
        return true;
    }

    /// <summary>Moves what was built to the send loop's side.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _ready.AddRange(_building);
        }

        _building.Clear();
    }

    /// <summary>Takes everything flushed; the caller returns chunks with <see cref="Release"/>.</summary>
    public List<SendItem> TakeReady(List<SendItem> empty)
    {
        lock (_gate)
        {
            List<SendItem> taken = _ready;
            _ready = empty;
            return taken;
        }
    }

    public void BlockSent() => Interlocked.Decrement(ref _queuedBlocks);

    /// <summary>Takes out the oldest queued copy of the block (a peer that asked twice and cancels once still gets one).</summary>
    public bool TryRemoveBlock(BlockRef block)
    {
        lock (_gate)
        {
            return RemoveFirstBlock(_ready, block) || RemoveFirstBlock(_building, block);
        }
    }

    public void RemoveAllBlocks(List<BlockRef> removed)
    {
        lock (_gate)
        {
            RemoveBlocks(_ready, removed);
            RemoveBlocks(_building, removed);
        }
    }

    public void Release(SendItem item)
    {
        if (item.Chunk is not null)
        {
            pool.Return(item.Chunk);
        }
    }

    /// <summary>Returns every chunk still held, when the connection ends.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _ready.ForEach(Release);
            _ready.Clear();
            _building.ForEach(Release);
            _building.Clear();
        }
    }

    private bool RemoveFirstBlock(List<SendItem> items, BlockRef block)
    {
        int index = items.FindIndex(item => item.Chunk is null && item.Block == block);
        if (index < 0)
        {
            return false;
        }

        items.RemoveAt(index);
        Interlocked.Decrement(ref _queuedBlocks);
        return true;
    }

    private void RemoveBlocks(List<SendItem> items, List<BlockRef> removed)
    {
        int count = items.RemoveAll(item =>
        {
            if (item.Chunk is not null)
            {
                return false;
            }

            removed.Add(item.Block);
            return true;
        });
        Interlocked.Add(ref _queuedBlocks, -count);
    }

    private SendItem Tail(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_building.Count > 0 && _building[^1] is { Chunk: { } chunk } tail && chunk.Length - tail.Length >= sizeHint)
        {
            return tail;
        }

        var fresh = new SendItem(pool.Rent(Math.Max(ChunkSize, sizeHint)), 0, default);
        _building.Add(fresh);
        return fresh;
    }
}

/// <summary>Encoded bytes (<see cref="Chunk"/>[..<see cref="Length"/>]) or, when Chunk is null, a block to send.</summary>
internal readonly record struct SendItem(byte[]? Chunk, int Length, BlockRef Block);
