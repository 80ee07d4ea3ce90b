using System.Net;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>
/// A peer's blocks waiting unread in our socket mean we, not the path, are the bottleneck: the pipeline is cut to what
/// is still in transit plus a margin, so a kill loses little, and it grows back once the socket stays drained.
/// </summary>
public class ReceiverLimitedPipelineTests
{
    private const int Block = PieceGeometry.BlockSize;

    private static readonly SwarmSettings Settings = new()
    {
        InitialQueueDepth = 64,
        SlowStartLimit = 256,
        UnreadBytesMargin = 4 * Block,
        ReceiverLimitedQueueDepth = 8,
        ReceiverLimitedHold = TimeSpan.FromSeconds(1),

        // Most tests here take one report of unread bytes as a lasting backlog; the last ones show the persistence.
        UnreadBytesPersistence = TimeSpan.Zero,
    };

    /// <summary>A seeder we are downloading from, with <see cref="SwarmSettings.InitialQueueDepth"/> blocks requested.</summary>
    private static (SwarmHarness Harness, SwarmPeer Peer, RecordingLink Link, Queue<BlockRef> Requested) Downloading(SwarmSettings? settings = null, IPAddress? address = null)
    {
        var harness = new SwarmHarness(pieceCount: 128, pieceLength: 4 * Block, lastPieceSize: 4 * Block, settings: settings ?? Settings);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal, address);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);
        var requested = new Queue<BlockRef>(SwarmHarness.Requests(link.TakeMessages()));
        Assert.Equal(64, requested.Count);
        return (harness, peer, link, requested);
    }

    /// <summary>Answers the oldest requests in order; returns how many new requests the answers brought.</summary>
    private static int Answer(SwarmHarness harness, SwarmPeer peer, RecordingLink link, Queue<BlockRef> requested, int count)
    {
        int newRequests = 0;
        for (int i = 0; i < count; i++)
        {
            harness.SendPiece(peer, requested.Dequeue());
            harness.CompleteChecks();
            foreach (BlockRef block in SwarmHarness.Requests(link.TakeMessages()))
            {
                requested.Enqueue(block);
                newRequests++;
            }
        }

        return newRequests;
    }

    [Fact]
    public void Blocks_waiting_unread_cut_the_pipeline_to_what_is_in_transit_plus_the_margin_and_it_stays_there_for_the_hold()
    {
        (SwarmHarness harness, SwarmPeer peer, RecordingLink link, Queue<BlockRef> requested) = Downloading();

        // 40 of the 64 requested blocks have arrived and wait in the socket: 24 are in transit.
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);

        Assert.Equal(24 + 4, peer.QueueDepth);

        // Answering the waiting blocks brings no new request (slow start would have added one per block), nor does a
        // tick that measures the peer's rate (two seconds of it would be every block there is).
        Assert.Equal(0, Answer(harness, peer, link, requested, 36));
        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        harness.Swarm.Tick();
        Assert.Empty(SwarmHarness.Requests(link.TakeMessages()));
        Assert.InRange(peer.QueueDepth, 28, 29);

        // From there the pipeline is topped up to its level, growing by one per pipeline's worth of blocks.
        int more = Answer(harness, peer, link, requested, 28);
        Assert.InRange(more, 20, 30);
        Assert.InRange(peer.Outstanding.Count, 22, 30);
    }

    [Fact]
    public void A_cut_never_leaves_fewer_than_the_least_pipeline_so_requests_still_go_in_batches()
    {
        (SwarmHarness harness, SwarmPeer peer, _, _) = Downloading();

        // Everything requested is already here: nothing is in transit.
        harness.Swarm.OnUnreadBytes(peer, 64L * Block);

        Assert.Equal(Settings.ReceiverLimitedQueueDepth, peer.QueueDepth);
    }

    [Fact]
    public void Unread_bytes_within_the_margin_leave_the_pipeline_growing()
    {
        (SwarmHarness harness, SwarmPeer peer, RecordingLink link, Queue<BlockRef> requested) = Downloading();

        harness.Swarm.OnUnreadBytes(peer, 3L * Block);

        // Slow start: each answer frees a slot and adds one, so 36 answers bring up to 72 requests (in batches).
        Assert.InRange(Answer(harness, peer, link, requested, 36), 48, 72);
        Assert.Equal(64 + 36, peer.QueueDepth);
    }

    [Fact]
    public void Slow_start_stops_at_its_limit_and_only_the_measured_rate_grows_the_pipeline_beyond()
    {
        (SwarmHarness harness, SwarmPeer peer, RecordingLink link, Queue<BlockRef> requested) = Downloading(Settings with { SlowStartLimit = 80 });

        // 16 answers take slow start to its limit; 44 more only keep the pipeline full.
        Answer(harness, peer, link, requested, 60);
        Assert.Equal(80, peer.QueueDepth);

        // A tick sizes it from the rate: two seconds of the 60 blocks received within the meter's second.
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        harness.Swarm.Tick();
        Assert.Equal(120, peer.QueueDepth);
    }

    [Fact]
    public void Once_the_hold_passes_without_unread_bytes_slow_start_grows_the_pipeline_again()
    {
        (SwarmHarness harness, SwarmPeer peer, RecordingLink link, Queue<BlockRef> requested) = Downloading();
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);
        Assert.Equal(0, Answer(harness, peer, link, requested, 36));

        harness.Time.Advance(Settings.ReceiverLimitedHold);

        Assert.InRange(Answer(harness, peer, link, requested, 20), 28, 41);
        Assert.Equal(29 + 20, peer.QueueDepth);
    }

    [Fact]
    public void A_burst_that_the_next_read_drains_leaves_the_pipeline_alone()
    {
        (SwarmHarness harness, SwarmPeer peer, _, _) = Downloading(Settings with { UnreadBytesPersistence = TimeSpan.FromMilliseconds(100) });

        // A lost segment resent: TCP hands over 40 blocks at once, and the next read finds the socket drained.
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);
        harness.Time.Advance(TimeSpan.FromMilliseconds(2));
        harness.Swarm.OnUnreadBytes(peer, 0);

        // The next loss, a little later, is another burst, not a backlog that lasted.
        harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);

        Assert.Equal(64, peer.QueueDepth);
    }

    [Fact]
    public void Bytes_left_unread_read_after_read_for_the_persistence_cut_the_pipeline()
    {
        (SwarmHarness harness, SwarmPeer peer, _, _) = Downloading(Settings with { UnreadBytesPersistence = TimeSpan.FromMilliseconds(100) });

        harness.Swarm.OnUnreadBytes(peer, 40L * Block);
        harness.Time.Advance(TimeSpan.FromMilliseconds(60));
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);
        Assert.Equal(64, peer.QueueDepth);

        harness.Time.Advance(TimeSpan.FromMilliseconds(40));
        harness.Swarm.OnUnreadBytes(peer, 40L * Block);

        Assert.Equal(24 + 4, peer.QueueDepth);
    }

    [Fact]
    public void A_loopback_peer_loses_nothing_so_its_backlog_is_cut_at_once()
    {
        (SwarmHarness harness, SwarmPeer peer, _, _) = Downloading(Settings with { UnreadBytesPersistence = TimeSpan.FromMilliseconds(100) }, IPAddress.Loopback);

        harness.Swarm.OnUnreadBytes(peer, 40L * Block);

        Assert.Equal(24 + 4, peer.QueueDepth);
    }
}
