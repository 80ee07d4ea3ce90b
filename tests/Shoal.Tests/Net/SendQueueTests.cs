using System.Buffers;
using Shoal.Net;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;
using Shoal.Wire;

namespace Shoal.Tests.Net;

public class SendQueueTests
{
    private static readonly BlockRef B1 = new(1, 0, 16384);
    private static readonly BlockRef B2 = new(2, 16384, 16384);
    private static readonly BlockRef B3 = new(3, 0, 100);

    /// <summary>What the send loop would send: byte runs as hex, blocks by name; chunks are released as the send loop does.</summary>
    private static List<string> Drain(SendQueue queue)
    {
        List<SendItem> items = queue.TakeReady([]);
        var sent = new List<string>();
        foreach (SendItem item in items)
        {
            sent.Add(item.Chunk is { } chunk ? Convert.ToHexString(chunk, 0, item.Length) : $"block {item.Block}");
            queue.Release(item);
        }

        return sent;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private static string Block(BlockRef block) => $"block {block}";

    [Fact]
    public void Bytes_and_blocks_come_out_in_the_order_they_were_queued()
    {
        var pool = new TrackingBufferPool();
        var queue = new SendQueue(pool, 100);
        queue.Write("hello"u8);
        Assert.True(queue.AddBlock(B1));
        PeerMessageWriter.WriteSimple(queue, MessageId.Unchoke);
        PeerMessageWriter.WriteIndex(queue, MessageId.Have, 7);
        Assert.True(queue.AddBlock(B2));
        Assert.True(queue.AddBlock(B3));
        queue.Write("tail"u8);

        Assert.False(queue.HasReady);
        Assert.Empty(Drain(queue));
        queue.Flush();
        Assert.True(queue.HasReady);

        Assert.Equal(
            [Hex("hello"u8), Block(B1), Hex([0, 0, 0, 1, 1, 0, 0, 0, 5, 4, 0, 0, 0, 7]), Block(B2), Block(B3), Hex("tail"u8)],
            Drain(queue));
        Assert.False(queue.HasReady);
        pool.AssertAllReturned();
    }

    [Fact]
    public void Several_flushes_are_taken_together_and_unflushed_bytes_wait()
    {
        var pool = new TrackingBufferPool();
        var queue = new SendQueue(pool, 100);
        queue.Write("a"u8);
        queue.Flush();
        queue.AddBlock(B1);
        queue.Flush();
        queue.Write("b"u8);
        queue.Flush();
        queue.Write("c"u8);

        Assert.Equal([Hex("a"u8), Block(B1), Hex("b"u8)], Drain(queue));
        queue.Flush();
        Assert.Equal([Hex("c"u8)], Drain(queue));
        pool.AssertAllReturned();
    }

    [Fact]
    public void Writes_larger_than_a_chunk_arrive_whole_and_in_order()
    {
        var pool = new TrackingBufferPool();
        var queue = new SendQueue(pool, 100);
        byte[] big = TempFolder.RandomBytes(10_000, 1);
        byte[] bigger = TempFolder.RandomBytes(9_000, 2);
        queue.Write(big);
        Span<byte> span = queue.GetSpan(bigger.Length);
        Assert.True(span.Length >= bigger.Length);
        bigger.CopyTo(span);
        queue.Advance(bigger.Length);
        Memory<byte> memory = queue.GetMemory(3);
        "xyz"u8.CopyTo(memory.Span);
        queue.Advance(3);
        queue.Flush();

        List<SendItem> items = queue.TakeReady([]);
        byte[] sent = [.. items.SelectMany(item => item.Chunk!.Take(item.Length))];
        items.ForEach(queue.Release);

        Assert.Equal([.. big, .. bigger, .. "xyz"u8.ToArray()], sent);
        pool.AssertAllReturned();
    }

    [Fact]
    public void TryRemoveBlock_takes_a_queued_block_out_whether_flushed_or_not()
    {
        var queue = new SendQueue(new TrackingBufferPool(), 100);
        queue.Write("x"u8);
        queue.AddBlock(B1);
        queue.AddBlock(B2);
        queue.Flush();
        queue.AddBlock(B3);
        queue.Write("y"u8);

        Assert.True(queue.TryRemoveBlock(B2));
        Assert.True(queue.TryRemoveBlock(B3));
        Assert.False(queue.TryRemoveBlock(B3));
        Assert.False(queue.TryRemoveBlock(new BlockRef(9, 0, 16384)));
        queue.Flush();

        Assert.Equal([Hex("x"u8), Block(B1), Hex("y"u8)], Drain(queue));
        Assert.False(queue.TryRemoveBlock(B1));
        queue.Clear();
    }

    [Fact]
    public void A_block_queued_twice_is_taken_back_one_copy_per_cancel()
    {
        var queue = new SendQueue(new TrackingBufferPool(), 100);
        queue.AddBlock(B1);
        queue.AddBlock(B1);
        queue.Flush();
        queue.AddBlock(B1);

        Assert.True(queue.TryRemoveBlock(B1));
        queue.Flush();

        Assert.Equal([Block(B1), Block(B1)], Drain(queue));
    }

    [Fact]
    public void RemoveAllBlocks_takes_back_every_block_and_leaves_the_bytes()
    {
        var pool = new TrackingBufferPool();
        var queue = new SendQueue(pool, 3);
        queue.AddBlock(B1);
        queue.Write("x"u8);
        queue.AddBlock(B2);
        queue.Flush();
        queue.AddBlock(B3);
        queue.Write("y"u8);
        Assert.False(queue.AddBlock(B1));

        var removed = new List<BlockRef>();
        queue.RemoveAllBlocks(removed);

        Assert.Equal([B1, B2, B3], removed);
        queue.Flush();
        Assert.Equal([Hex("x"u8), Hex("y"u8)], Drain(queue));

        // The blocks taken back no longer count against the cap.
        Assert.True(queue.AddBlock(B1));
        Assert.True(queue.AddBlock(B2));
        Assert.True(queue.AddBlock(B3));
        queue.Clear();
        pool.AssertAllReturned();
    }

    [Fact]
    public void The_queued_block_cap_refuses_blocks_until_one_is_sent_or_removed()
    {
        var queue = new SendQueue(new TrackingBufferPool(), 2);
        Assert.True(queue.AddBlock(B1));
        Assert.True(queue.AddBlock(B2));
        Assert.False(queue.AddBlock(B3));
        queue.Flush();
        Assert.False(queue.AddBlock(B3));

        // Taken by the send loop is not yet sent: the cap holds until BlockSent.
        Assert.Equal([Block(B1), Block(B2)], Drain(queue));
        Assert.False(queue.AddBlock(B3));
        queue.BlockSent(B1);
        Assert.True(queue.AddBlock(B3));
        Assert.False(queue.AddBlock(B1));
        Assert.True(queue.TryRemoveBlock(B3));
        Assert.True(queue.AddBlock(B1));
        queue.Flush();
        Assert.Equal([Block(B1)], Drain(queue));
    }

    [Fact]
    public void Every_chunk_goes_back_to_the_pool_after_Release_and_Clear()
    {
        var pool = new TrackingBufferPool();
        var queue = new SendQueue(pool, 100);
        for (int i = 0; i < 50; i++)
        {
            queue.Write(TempFolder.RandomBytes(1000 + (i * 37), i));
            queue.AddBlock(new BlockRef(i, 0, 16384));
            if (i % 7 == 0)
            {
                queue.Flush();
            }

            if (i % 11 == 0)
            {
                Drain(queue);
            }
        }

        queue.Flush();
        queue.Write(TempFolder.RandomBytes(5000, 99));
        Assert.True(pool.Outstanding > 0);

        queue.Clear();

        pool.AssertAllReturned();
        Assert.True(pool.Rented > 10);
        Assert.Empty(Drain(queue));
    }

    [Fact]
    public void Queued_bytes_count_messages_and_blocks_until_sent_and_blocks_past_the_byte_bound_are_refused()
    {
        var queue = new SendQueue(new TrackingBufferPool(), 3);
        int messages = SendQueue.MessageBytes + B1.Length;
        queue.Write(new byte[messages]);
        Assert.True(queue.AddBlock(B1));
        Assert.True(queue.AddBlock(B3));
        Assert.Equal(messages + B1.Length + B3.Length, queue.QueuedBytes);
        Assert.False(queue.AddBlock(B2));

        queue.Flush();
        foreach (SendItem item in queue.TakeReady([]))
        {
            if (item.Chunk is null)
            {
                queue.BlockSent(item.Block);
            }

            queue.Release(item);
        }

        Assert.Equal(0, queue.QueuedBytes);
        Assert.True(queue.AddBlock(B2));
    }
}
