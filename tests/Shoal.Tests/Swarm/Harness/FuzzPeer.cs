using System.Buffers;
using System.Net;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>One hostile connection of <see cref="Swarm.SwarmFuzzTests"/>: a receive buffer and a reader, like the real transport's.</summary>
internal sealed class FuzzPeer(SwarmHarness harness, SwarmPeer peer, RecordingLink link)
{
    private readonly PeerMessageReader _reader = new();
    private readonly ArrayBufferWriter<byte> _pending = new();

    public SwarmPeer Peer { get; } = peer;

    public RecordingLink Link { get; } = link;

    public List<BlockRef> Requested { get; } = [];

    /// <summary>How often this peer sends a random or mutated message instead of a well-formed one.</summary>
    public int BrokenPercent { get; private init; }

    public static FuzzPeer Connect(SwarmHarness harness, Random random, int number)
    {
        IPAddress address;
        for (int n = number * 16; ; n++)
        {
            address = random.Next(10) == 0
                ? IPAddress.Parse($"2001:db8::{n >> 16:x}:{n & 0xFFFF:x}")
                : IPAddress.Parse($"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}");
            if (!harness.Swarm.IsAddressBanned(address))
            {
                break;
            }
        }

        var reserved = new ReservedBits((ulong)random.Next(8) switch
        {
            0 => 0,
            1 => 1UL << 2,
            2 => 1UL << 20,
            _ => ReservedBits.Shoal.Value,
        });
        (SwarmPeer peer, RecordingLink link) = harness.Connect(reserved, address, maxQueuedBlocks: 1 + random.Next(50));
        return new FuzzPeer(harness, peer, link) { BrokenPercent = random.Next(3) switch { 0 => 30, 1 => 10, _ => 1 } };
    }

    /// <summary>Notes the requests the swarm sent this peer, so that some piece messages answer them.</summary>
    public void Learn()
    {
        Requested.AddRange(SwarmHarness.Requests(Link.TakeMessages()));
        if (Requested.Count > 200)
        {
            Requested.RemoveRange(0, 100);
        }

        // The transport sends what was queued.
        Link.QueuedBlocks.Clear();
    }

    /// <summary>Bytes off the wire: every whole message goes to the swarm; the rest waits for more.</summary>
    public void Receive(byte[] bytes)
    {
        _pending.Write(bytes);
        var sequence = new ReadOnlySequence<byte>(_pending.WrittenMemory);
        try
        {
            while (!Link.IsClosed && _reader.TryRead(ref sequence, out PeerMessage message))
            {
                harness.Swarm.OnMessage(Peer, message);
            }
        }
        finally
        {
            harness.Swarm.EndBatch();
        }

        // Keep the unfinished message; a long one that never completes is appended to, not copied each time.
        if (sequence.Length < _pending.WrittenCount)
        {
            byte[] rest = sequence.ToArray();
            _pending.Clear();
            _pending.Write(rest);
        }
    }

    /// <summary>The connection is gone: the swarm forgets it (if it had not already).</summary>
    public FuzzPeer? Closed()
    {
        harness.Swarm.OnClosed(Peer);
        Link.Close("closed by the test");
        Assert.DoesNotContain(Peer, harness.Swarm.Peers);
        return null;
    }
}
