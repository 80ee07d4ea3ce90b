using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// One direction of an in-memory connection: what the local swarm writes is sent, in order, at the
/// local node's bandwidth, and arrives at the remote swarm as real wire bytes after a latency.
/// </summary>
internal sealed class SimulatedLink : IPeerLink
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(5);
    private readonly SimulatedNode _local;
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly LinkedList<(byte[]? Bytes, BlockRef Block)> _queue = new();
    private readonly ArrayBufferWriter<byte> _inbound = new();
    private readonly PeerMessageReader _reader = new();
    private bool _pumping;

    private SimulatedLink(SimulatedNode local, SimulatedNode remote)
    {
        _local = local;
        Remote = new IPEndPoint(remote.Address, 6881);
    }

    public IPEndPoint Remote { get; }

    public IBufferWriter<byte> Output => _output;

    public bool IsClosed { get; private set; }

    public long QueuedBytes => _output.WrittenCount + _queue.Sum(item => item.Bytes?.Length ?? item.Block.Length);

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

        _queue.AddLast((_output.WrittenSpan.ToArray(), default));
        _output.ResetWrittenCount();
        Pump();
    }

    public bool SendBlock(BlockRef block)
    {
        if (_output.WrittenCount > 0)
        {
            _queue.AddLast((_output.WrittenSpan.ToArray(), default));
            _output.ResetWrittenCount();
        }

        _queue.AddLast((null, block));
        Pump();
        return true;
    }

    public bool TryCancelBlock(BlockRef block)
    {
        for (LinkedListNode<(byte[]? Bytes, BlockRef Block)>? node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Bytes is null && node.Value.Block == block)
            {
                _queue.Remove(node);
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
                _queue.Remove(node);
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
        _queue.Clear();
        _local.Network.Schedule(Latency, () => Other.OnRemoteClosed());
    }

    private void OnRemoteClosed()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        _queue.Clear();
        if (Peer is not null)
        {
            _local.Swarm.OnClosed(Peer);
        }
    }

    /// <summary>Sends the next queued item if the link is idle, taking its size over the bandwidth in time.</summary>
    private void Pump()
    {
        if (_pumping || IsClosed || _local.IsSilent || _queue.First is not { } first)
        {
            return;
        }

        _queue.RemoveFirst();
        byte[] bytes = first.Value.Bytes ?? EncodeBlock(first.Value.Block);
        _pumping = true;
        TimeSpan transmit = TimeSpan.FromSeconds((double)bytes.Length / _local.UploadBandwidth);
        _local.Network.Schedule(transmit + Latency, () => Other.Receive(bytes));
        _local.Network.Schedule(transmit, () =>
        {
            _pumping = false;
            Pump();
        });
    }

    private byte[] EncodeBlock(BlockRef block)
    {
        var writer = new ArrayBufferWriter<byte>(13 + block.Length);
        PeerMessageWriter.WritePieceHeader(writer, block.Piece, block.Begin, block.Length);
        Span<byte> data = writer.GetSpan(block.Length)[..block.Length];
        _local.Storage.ReadBlock(_local.Torrent, block.Piece, block.Begin, data);
        if (_local.CorruptPiece?.Invoke(block.Piece) == true || _local.CorruptBlock?.Invoke(block) == true)
        {
            data[0] ^= 0xFF;
        }

        writer.Advance(block.Length);
        _local.BlockSent?.Invoke(block);
        return writer.WrittenSpan.ToArray();
    }

    private void Receive(byte[] bytes)
    {
        if (IsClosed || Peer is null || _local.IsSilent)
        {
            return;
        }

        _inbound.Write(bytes);
        var sequence = new ReadOnlySequence<byte>(_inbound.WrittenMemory);
        try
        {
            while (_reader.TryRead(ref sequence, out PeerMessage message))
            {
                _local.Swarm.OnMessage(Peer, message);
                if (IsClosed)
                {
                    return;
                }
            }
        }
        catch (PeerProtocolException e)
        {
            _local.Swarm.OnClosed(Peer);
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
