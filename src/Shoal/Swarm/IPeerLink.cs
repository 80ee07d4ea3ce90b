using System.Buffers;
using System.Net;

namespace Shoal.Swarm;

/// <summary>
/// The swarm's side of one connection: where it writes messages and asks for blocks to be served. The
/// transport (TCP, or the in-memory network of tests) owns the bytes; the swarm calls these members only
/// from its own loop.
/// </summary>
public interface IPeerLink
{
    /// <summary>The peer's address and port, as the transport sees them.</summary>
    IPEndPoint Remote { get; }

    /// <summary>Messages to send are encoded here, in order.</summary>
    IBufferWriter<byte> Output { get; }

    /// <summary>Bytes written or queued for the peer and not yet sent to it.</summary>
    long QueuedBytes { get; }

    /// <summary>Hands what was written to <see cref="Output"/> to the transport.</summary>
    void Flush();

    /// <summary>
    /// Hands what was written to the transport, which may hold it for a moment to send it with whatever comes
    /// next: for messages no one waits on, such as HAVE to a peer we choke.
    /// </summary>
    void FlushSoon() => Flush();

    /// <summary>
    /// Queues a piece message after the bytes written so far: the transport reads the block from storage
    /// when it sends it. False when the peer already has too many blocks queued.
    /// </summary>
    bool SendBlock(BlockRef block);

    /// <summary>Takes a queued block back if it has not been sent yet (the peer cancelled it).</summary>
    bool TryCancelBlock(BlockRef block);

    /// <summary>Takes back every queued block not yet sent (we choked the peer), adding them to <paramref name="removed"/>.</summary>
    void TakeBackQueuedBlocks(List<BlockRef> removed);

    /// <summary>Ends the connection; the swarm has already forgotten the peer.</summary>
    void Close(string reason);
}
