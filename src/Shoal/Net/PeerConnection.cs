using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Net.Streams;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>
/// One connection after the handshake, over TCP or uTP, plaintext or encrypted: a receive loop that decodes messages into the swarm, and a
/// send loop that writes what the swarm queued, reading blocks from storage as their turn comes.
/// </summary>
internal sealed class PeerConnection : IPeerLink, IDisposable
{
    private const int ReceiveBufferSize = 128 * 1024;
    private const int SendBatchSize = 256 * 1024;
    private const int PieceHeaderLength = 13;

    private readonly IPeerStream _stream;
    private readonly ConnectionContext _context;
    private readonly SendQueue _queue;
    private readonly SemaphoreSlim _sendSignal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private int _signalled;
    private int _deferred;
    private SwarmPeer? _peer;

    public PeerConnection(IPeerStream stream, ConnectionContext context)
    {
        _stream = stream;
        Remote = stream.Remote;
        _context = context;
        _queue = new SendQueue(context.Pool, context.MaxQueuedBlocks);
    }

    public IPEndPoint Remote { get; }

    public IBufferWriter<byte> Output => _queue;

    /// <summary>Why the connection ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    public long QueuedBytes => _queue.QueuedBytes;

    public void Flush()
    {
        if (FlushQueue())
        {
            Signal();
        }
    }

    public void FlushSoon()
    {
        if (FlushQueue() && Volatile.Read(ref _signalled) == 0 && Interlocked.Exchange(ref _deferred, 1) == 0)
        {
            _context.Deferred.Add(this);
        }
    }

    /// <summary>The deferred flush is due: sends what waited, unless the connection has ended meanwhile.</summary>
    public void SendDeferred()
    {
        Volatile.Write(ref _deferred, 0);
        try
        {
            Signal();
        }
        catch (ObjectDisposedException)
        {
            // Closed and disposed since it asked: nothing is sent any more.
        }
    }

    /// <summary>Moves what the swarm wrote to the send loop's side; false if that closed the connection.</summary>
    private bool FlushQueue()
    {
        _queue.Flush();
        if (_queue.QueuedBytes > _queue.MaxBytes)
        {
            Close($"the peer does not read what it asks for: {_queue.QueuedBytes} bytes queued");
            return false;
        }

        return true;
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _sendSignal.Release();
        }
    }

    public bool SendBlock(BlockRef block) => _queue.AddBlock(block);

    public bool TryCancelBlock(BlockRef block) => _queue.TryRemoveBlock(block);

    public void TakeBackQueuedBlocks(List<BlockRef> removed) => _queue.RemoveAllBlocks(removed);

    public void Close(string reason)
    {
        CloseReason ??= reason;
        _stop.Cancel();
        _stream.Dispose();
    }

    /// <summary>
    /// Joins the swarm and moves messages until either side ends the connection. A second connection
    /// with a peer already connected is dropped, unless <paramref name="replacesDuplicate"/>: then the
    /// first one is (when both sides dial at once, both must keep the same one).
    /// </summary>
    public async Task RunAsync(Handshake remote, CancellationToken cancellationToken, bool replacesDuplicate = false)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(() => Close("shutting down"));
        lock (_context.Gate)
        {
            if (_context.Swarm.IsClosed || _context.Swarm.IsBanned(Remote.Address, remote.PeerId.Span))
            {
                Close("the peer is banned, or the torrent stopped");
                return;
            }

            if (_context.Swarm.LinkOf(remote.PeerId.Span) is { } existing)
            {
                if (!replacesDuplicate)
                {
                    Close("already connected to this peer");
                    return;
                }

                existing.Close("replaced by the connection the peer opened at the same time");
            }

            _peer = _context.Swarm.AddPeer(this, remote.PeerId, remote.Reserved, _stream.Transport, _stream.IsEncrypted);
        }

        Task sending = SendLoopAsync(_stop.Token);
        Task receiving = ReceiveLoopAsync(_peer, _stop.Token);
        await Task.WhenAny(sending, receiving).ConfigureAwait(false);
        Close(CloseReason ?? "the peer closed the connection");
        await Task.WhenAll(sending.ContinueWith(_ => { }, TaskScheduler.Default), receiving.ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        lock (_context.Gate)
        {
            _context.Swarm.OnClosed(_peer);
        }

        // A stop from now on must not close a disposed connection; Dispose waits for a close under way.
        await registration.DisposeAsync().ConfigureAwait(false);
        Dispose();
    }

    /// <summary>Whether the peer had every piece when the connection ended.</summary>
    public bool PeerWasSeed => _peer?.IsSeed == true;

    /// <summary>Payload bytes we kept from the peer over this connection; final once it has ended.</summary>
    public long Downloaded => _peer?.Downloaded ?? 0;

    /// <summary>Returns what the send queue holds; only after both loops have ended.</summary>
    public void Dispose()
    {
        _queue.Clear();
        _sendSignal.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(SwarmPeer peer, CancellationToken cancellationToken)
    {
        var reader = new PeerMessageReader();
        byte[]? buffer = null;
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == 0)
                {
                    // Idle connections hold no receive buffer: wait for data with a zero-byte read, then rent.
                    if (buffer is not null)
                    {
                        _context.Pool.Return(buffer);
                        buffer = null;
                    }

                    await _stream.WaitForDataAsync(cancellationToken).ConfigureAwait(false);
                    buffer = _context.Pool.Rent(ReceiveBufferSize);
                }

                int received = await _stream.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    CloseReason ??= "the peer closed the connection";
                    return;
                }

                // Only a read that filled the buffer can have left data behind: ask the kernel how much then.
                filled += received;
                int unread = filled == buffer!.Length ? _stream.Available : 0;
                int consumed = Deliver(peer, reader, buffer.AsMemory(0, filled), unread);
                filled -= consumed;
                buffer.AsSpan(consumed, filled).CopyTo(buffer);
                buffer = EnsureRoomForNextMessage(buffer!, filled);
                await _context.Download.AcquireAsync(received, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PeerProtocolException e)
        {
            CloseReason ??= $"protocol error: {e.Message}";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            CloseReason ??= e is SocketException socket ? socket.Message : "connection closed";
        }
        catch (Exception e)
        {
            // Whatever a peer sends, the node keeps running: an unexpected failure ends only this connection.
            CloseReason ??= $"internal error: {e}";
        }
        finally
        {
            if (buffer is not null)
            {
                _context.Pool.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Decodes every whole message in <paramref name="data"/> into the swarm under one lock, telling it first how many
    /// bytes are still waiting in the socket (0 when the read drained it); returns the bytes used.
    /// </summary>
    private int Deliver(SwarmPeer peer, PeerMessageReader reader, ReadOnlyMemory<byte> data, int unread)
    {
        var sequence = new ReadOnlySequence<byte>(data);
        lock (_context.Gate)
        {
            try
            {
                _context.Swarm.OnUnreadBytes(peer, unread);

                while (reader.TryRead(ref sequence, out PeerMessage message))
                {
                    _context.Swarm.OnMessage(peer, message);
                }
            }
            finally
            {
                _context.Swarm.EndBatch();
            }
        }

        return data.Length - (int)sequence.Length;
    }

    /// <summary>A message longer than the buffer gets a buffer it fits in (the reader has already checked its length).</summary>
    private byte[] EnsureRoomForNextMessage(byte[] buffer, int filled)
    {
        if (filled < 4)
        {
            return buffer;
        }

        int needed = 4 + BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (needed <= buffer.Length)
        {
            return buffer;
        }

        byte[] larger = _context.Pool.Rent(needed);
        buffer.AsSpan(0, filled).CopyTo(larger);
        _context.Pool.Return(buffer);
        return larger;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        List<SendItem> spare = [];
        try
        {
            while (true)
            {
                await _sendSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _signalled, 0);
                List<SendItem> items = _queue.TakeReady(spare);
                try
                {
                    await SendAsync(items, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    items.ForEach(_queue.Release);
                    items.Clear();
                    spare = items;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            CloseReason ??= e is SocketException socket ? socket.Message : "connection closed";
        }
        catch (Exception e)
        {
            CloseReason ??= e is Storage.StorageException ? e.Message : $"internal error: {e}";
        }
    }

    /// <summary>The payload bytes of the blocks among the items (a loop: LINQ's Sum boxed the list's enumerator on every send).</summary>
    private static int BlockBytes(List<SendItem> items)
    {
        int bytes = 0;
        foreach (SendItem item in items)
        {
            bytes += item.Chunk is null ? item.Block.Length : 0;
        }

        return bytes;
    }

    /// <summary>
    /// Writes the items in batches of up to <see cref="SendBatchSize"/> bytes, one socket call per batch. Blocks wait
    /// for the upload limit together: one wait is granted what accrued for as many of the blocks left as a batch holds,
    /// and what is written goes out before it.
    /// </summary>
    private async Task SendAsync(List<SendItem> items, CancellationToken cancellationToken)
    {
        byte[] batch = _context.Pool.Rent(SendBatchSize);
        var writer = new BatchWriter(batch);
        int blockBytesLeft = BlockBytes(items);
        int credit = 0;
        try
        {
            foreach (SendItem item in items)
            {
                if (item.Chunk is { } chunk)
                {
                    if (writer.Free < item.Length)
                    {
                        await WriteAsync(writer, cancellationToken).ConfigureAwait(false);
                    }

                    chunk.AsSpan(0, item.Length).CopyTo(writer.GetSpan());
                    writer.Advance(item.Length);
                    continue;
                }

                BlockRef block = item.Block;
                if (writer.Free < PieceHeaderLength + block.Length)
                {
                    await WriteAsync(writer, cancellationToken).ConfigureAwait(false);
                }

                if (credit < block.Length)
                {
                    ValueTask<int> acquiring = _context.Upload.AcquireAsync(block.Length - credit, Math.Min(blockBytesLeft, SendBatchSize) - credit, cancellationToken);
                    if (!acquiring.IsCompleted && writer.Written > 0)
                    {
                        await WriteAsync(writer, cancellationToken).ConfigureAwait(false);
                    }

                    credit += await acquiring.ConfigureAwait(false);
                }

                credit -= block.Length;
                blockBytesLeft -= block.Length;
                PeerMessageWriter.WritePieceHeader(writer, block.Piece, block.Begin, block.Length);
                _context.Storage.ReadBlock(_context.Torrent, block.Piece, block.Begin, writer.GetSpan()[..block.Length]);
                writer.Advance(block.Length);
                _queue.BlockSent(block);
            }

            await WriteAsync(writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _context.Pool.Return(batch);
        }
    }

    private async Task WriteAsync(BatchWriter writer, CancellationToken cancellationToken)
    {
        await _stream.SendAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        writer.Reset();
    }
}
