using System.Buffers;
using System.Net;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// One direction of an in-memory connection: what the local swarm writes waits here, in order, until the local
/// node's uplink sends it (<see cref="SimulatedNode"/> shares its upload among its links); it arrives at the remote
/// swarm as real wire bytes after both nodes' latencies and the remote node's downlink.
/// </summary>
internal sealed class SimulatedLink : IPeerLink
{
    private readonly SimulatedNode _local;
    private readonly SimulatedNode _remote;
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly LinkedList<(byte[]? Bytes, BlockRef Block)> _queue = new();
    private readonly ArrayBufferWriter<byte> _inbound = new();
    private readonly PeerMessageReader _reader = new();
    private long _queuedBytes;

    private SimulatedLink(SimulatedNode local, SimulatedNode remote)
    {
        _local = local;
        _remote = remote;
        Remote = new IPEndPoint(remote.Address, 6881);
    }

    public IPEndPoint Remote { get; }

    public IBufferWriter<byte> Output => _output;

    public bool IsClosed { get; private set; }

    public long QueuedBytes => _output.WrittenCount + _queuedBytes;

    /// <summary>Queued with its node's uplink, or being sent by it: not to be queued there again.</summary>
    internal bool IsWithUplink { get; set; }

    internal bool HasQueued => _queue.First is not null;

    private SimulatedLink Other { get; set; } = null!;

    private SwarmPeer? Peer { get; set; }

    /// <summary>Connects two nodes, each adding the other to its swarm as after a handshake (fast and extension protocols on).</summary>
    public static void Connect(SimulatedNode a, SimulatedNode b)
    {
        var ab = new SimulatedLink(a, b);
        var ba = new SimulatedLink(b, a);
        ab.Other = ba;
        ba.Other = ab;
        a.AddLink(ab);
        b.AddLink(ba);
        ab.Peer = a.Swarm.AddPeer(ab, b.PeerId, ReservedBits.Shoal);
        ba.Peer = b.Swarm.AddPeer(ba, a.PeerId, ReservedBits.Shoal);
    }

    public void Flush()
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        Enqueue(_output.WrittenSpan.ToArray(), default);
        _output.ResetWrittenCount();
    }

    public bool SendBlock(BlockRef block)
    {
        Flush();
        Enqueue(null, block);
        return true;
    }

    public bool TryCancelBlock(BlockRef block)
    {
        for (LinkedListNode<(byte[]? Bytes, BlockRef Block)>? node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Bytes is null && node.Value.Block == block)
            {
                Remove(node);
                return true;
            }
        }

        return false;
    }

    public void TakeBackQueuedBlocks(List<BlockRef> removed)
    {
        for (LinkedListNode<(byte[]? Bytes, BlockRef Block)>? node = _queue.First; node is not null;)
        {
            LinkedListNode<(byte[]? Bytes, BlockRef Block)>? next = node.Next;
            if (node.Value.Bytes is null)
            {
                removed.Add(node.Value.Block);
                Remove(node);
            }

            node = next;
        }
    }

    public void Close(string reason)
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        ClearQueue();
        _local.Network.Schedule(_local.Latency + _remote.Latency, () => Other.OnRemoteClosed());
    }

    /// <summary>
    /// Takes the next item to send, encoded: a piece message is read from storage only now, as a real transport does
    /// (so a block cancelled meanwhile is never read). Its buffer is pooled when <paramref name="pooled"/>.
    /// </summary>
    internal byte[]? TakeNext(out int length, out bool pooled)
    {
        length = 0;
        pooled = false;
        if (IsClosed || _queue.First is not { } first)
        {
            return null;
        }

        Remove(first);
        if (first.Value.Bytes is { } bytes)
        {
            length = bytes.Length;
            return bytes;
        }

        pooled = true;
        return EncodeBlock(first.Value.Block, out length);
    }

    /// <summary>Takes the only item queued if it is control messages of at most <paramref name="limit"/> bytes.</summary>
    internal byte[]? TakeSmall(int limit)
    {
        if (IsClosed || _queue.First is not { Value.Bytes: { } bytes } first || first.Next is not null || bytes.Length > limit)
        {
            return null;
        }

        Remove(first);
        return bytes;
    }

    /// <summary>Hands bytes that crossed the path to the remote node, whose downlink delivers them.</summary>
    internal void Transmit(byte[] bytes, int length, bool pooled) =>
        _local.Network.Schedule(_local.Latency + _remote.Latency, () => _remote.Arrive(Other, bytes, length, pooled));

    internal void Receive(byte[] bytes, int length, bool pooled)
    {
        try
        {
            if (!IsClosed && Peer is not null && !_local.IsSilent)
            {
                Parse(bytes.AsMemory(0, length));
            }
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }

    private void Enqueue(byte[]? bytes, BlockRef block)
    {
        _queue.AddLast((bytes, block));
        _queuedBytes += bytes?.Length ?? block.Length;
        _local.OnQueued(this);
    }

    private void Remove(LinkedListNode<(byte[]? Bytes, BlockRef Block)> node)
    {
        _queue.Remove(node);
        _queuedBytes -= node.Value.Bytes?.Length ?? node.Value.Block.Length;
    }

    private void ClearQueue()
    {
        _queue.Clear();
        _queuedBytes = 0;
    }

    private void OnRemoteClosed()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        ClearQueue();
        if (Peer is not null)
        {
            _local.Swarm.OnClosed(Peer);
        }
    }

    private byte[] EncodeBlock(BlockRef block, out int length)
    {
        length = 13 + block.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        var header = new ArrayBufferWriter<byte>(13);
        PeerMessageWriter.WritePieceHeader(header, block.Piece, block.Begin, block.Length);
        header.WrittenSpan.CopyTo(buffer);
        Span<byte> data = buffer.AsSpan(13, block.Length);
        _local.Storage.ReadBlock(_local.Torrent, block.Piece, block.Begin, data);
        if (_local.CorruptPiece?.Invoke(block.Piece) == true || _local.CorruptBlock?.Invoke(block) == true)
        {
            data[0] ^= 0xFF;
        }

        _local.BlockSent?.Invoke(block);
        return buffer;
    }

    /// <summary>Decodes and hands over every whole message; a partial one waits for the next bytes.</summary>
    private void Parse(ReadOnlyMemory<byte> bytes)
    {
        // Items carry whole messages, so the inbound buffer is nearly always empty and bytes are read where they are.
        if (_inbound.WrittenCount > 0)
        {
            _inbound.Write(bytes.Span);
            bytes = _inbound.WrittenMemory;
        }

        var sequence = new ReadOnlySequence<byte>(bytes);
        try
        {
            while (_reader.TryRead(ref sequence, out PeerMessage message))
            {
                _local.Swarm.OnMessage(Peer!, message);
                if (IsClosed)
                {
                    return;
                }
            }
        }
        catch (PeerProtocolException e)
        {
            _local.Swarm.OnClosed(Peer!);
            Close($"protocol error: {e.Message}");
            return;
        }
        finally
        {
            _local.Swarm.EndBatch();
        }

        byte[] rest = sequence.ToArray();
        _inbound.Clear();
        _inbound.Write(rest);
    }
}
