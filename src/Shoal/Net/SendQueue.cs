using System.Buffers;
using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Swarm;

namespace Shoal.Net;

/// <summary>
/// What a connection has to send, in order: runs of encoded messages (in pooled chunks) and blocks to
/// read from storage when their turn comes. The swarm appends under its lock; the send loop takes
/// everything flushed so far. It counts the bytes of both until they are sent: a peer that asks and
/// never reads must not make us hold more than <see cref="MaxBytes"/>.
/// </summary>
internal sealed class SendQueue(BufferPool pool, int maxQueuedBlocks) : IBufferWriter<byte>
{
    /// <summary>Encoded messages (all but blocks) a connection may have queued on top of its blocks.</summary>
    public const int MessageBytes = 1024 * 1024;

    private const int ChunkSize = 4096;
    private readonly Lock _gate = new();
    private readonly List<SendItem> _building = [];
    private List<SendItem> _ready = [];
    private int _queuedBlocks;
    private long _queuedBytes;

    /// <summary>The bound on <see cref="QueuedBytes"/>: a full queue of 16 KiB blocks and <see cref="MessageBytes"/>.</summary>
    public long MaxBytes { get; } = ((long)maxQueuedBlocks * PieceGeometry.BlockSize) + MessageBytes;

    /// <summary>Bytes of messages and blocks queued and not yet sent.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

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
        Interlocked.Add(ref _queuedBytes, count);
    }

    /// <summary>Queues a block unless the queue already holds its most blocks, or bytes.</summary>
    public bool AddBlock(BlockRef block)
    {
        if (Volatile.Read(ref _queuedBlocks) >= maxQueuedBlocks || QueuedBytes + block.Length > MaxBytes)
        {
            return false;
        }

        Interlocked.Increment(ref _queuedBlocks);
        Interlocked.Add(ref _queuedBytes, block.Length);
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

    public void BlockSent(BlockRef block)
    {
        Interlocked.Decrement(ref _queuedBlocks);
        Interlocked.Add(ref _queuedBytes, -block.Length);
    }

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
            Interlocked.Add(ref _queuedBytes, -item.Length);
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
        BlockSent(block);
        return true;
    }

    private void RemoveBlocks(List<SendItem> items, List<BlockRef> removed)
    {
        items.RemoveAll(item =>
        {
            if (item.Chunk is not null)
            {
                return false;
            }

            removed.Add(item.Block);
            BlockSent(item.Block);
            return true;
        });
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
