using System.Buffers;
using System.Net;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>
/// An <see cref="IPeerLink"/> that keeps what the swarm does to it: the bytes it writes (decoded on demand), the
/// blocks it queues (a queue of at most <paramref name="maxQueuedBlocks"/>), cancels, flushes and the close.
/// </summary>
internal sealed class RecordingLink(IPAddress address, int maxQueuedBlocks = int.MaxValue) : IPeerLink
{
    private readonly ArrayBufferWriter<byte> _output = new();

    public IPEndPoint Remote { get; } = new(address, 6881);

    public IBufferWriter<byte> Output => _output;

    /// <summary>Blocks queued by <see cref="SendBlock"/> and neither cancelled nor taken back.</summary>
    public List<BlockRef> QueuedBlocks { get; } = [];

    /// <summary>Every block <see cref="SendBlock"/> accepted, in order.</summary>
    public List<BlockRef> AcceptedBlocks { get; } = [];

    public List<BlockRef> CancelledBlocks { get; } = [];

    public int Flushes { get; private set; }

    /// <summary>Flushes the swarm let wait (<see cref="IPeerLink.FlushSoon"/>).</summary>
    public int SoonFlushes { get; private set; }

    /// <summary>What the link says it has not sent yet; a test sets it to play a peer that does not read.</summary>
    public long QueuedBytes { get; set; }

    public string? CloseReason { get; private set; }

    public bool IsClosed => CloseReason is not null;

    public void Flush() => Flushes++;

    public void FlushSoon() => SoonFlushes++;

    public bool SendBlock(BlockRef block)
    {
        if (QueuedBlocks.Count >= maxQueuedBlocks)
        {
            return false;
        }

        QueuedBlocks.Add(block);
        AcceptedBlocks.Add(block);
        return true;
    }

    public bool TryCancelBlock(BlockRef block)
    {
        if (!QueuedBlocks.Remove(block))
        {
            return false;
        }

        CancelledBlocks.Add(block);
        return true;
    }

    public void TakeBackQueuedBlocks(List<BlockRef> removed)
    {
        removed.AddRange(QueuedBlocks);
        QueuedBlocks.Clear();
    }

    public void Close(string reason) => CloseReason ??= reason;

    /// <summary>Decodes and forgets what the swarm has written since the last call.</summary>
    public List<WireMessage> TakeMessages()
    {
        List<WireMessage> messages = WireMessage.DecodeAll(_output.WrittenMemory.ToArray());
        _output.ResetWrittenCount();
        return messages;
    }
}
