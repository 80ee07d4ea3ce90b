using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;
using Shoal.Tests.Swarm.Simulation;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

/// <summary>The piece picker directly (rarest first, ties, partial pieces, endgame, back-pressure), and through the swarm.</summary>
public class PiecePickerTests
{
    private const int Block = PieceGeometry.BlockSize;

    [Fact]
    public void The_rarest_piece_is_started_first()
    {
        // Availability of pieces 0..7; peer k has the pieces held by more than k peers, so peer 0 has all.
        int[] availability = [5, 4, 3, 1, 2, 6, 8, 7];
        var fixture = new PickerFixture(availability.Length, 2);
        SwarmPeer[] peers = [.. Enumerable.Range(0, 8).Select(k => fixture.Peer([.. Enumerable.Range(0, 8).Where(i => availability[i] > k)]))];
        Assert.Equal(availability, Enumerable.Range(0, 8).Select(fixture.Picker.Availability));

        var started = new List<int>();
        for (int i = 0; i < availability.Length; i++)
        {
            List<BlockRef> picked = fixture.Pick(peers[0], 2);
            Assert.Single(picked.Select(b => b.Piece).Distinct());
            started.Add(picked[0].Piece);
        }

        Assert.Equal([3, 4, 2, 1, 0, 5, 7, 6], started);
    }

    [Fact]
    public void A_peer_gets_the_rarest_of_the_pieces_it_has()
    {
        var fixture = new PickerFixture(4, 1);
        fixture.Peer(0, 1, 2, 3);
        fixture.Peer(0, 1, 2);
        fixture.Peer(0, 1);
        SwarmPeer partial = fixture.Peer(0, 1, 2);

        // Piece 3 is rarest, but this peer lacks it: its rarest is piece 2.
        Assert.Equal(2, Assert.Single(fixture.Pick(partial, 1)).Piece);
    }

    [Fact]
    public void Ties_are_broken_at_random_reproducibly_per_seed_and_every_tied_piece_gets_chosen()
    {
        const int Seeds = 600;
        var counts = new int[8];
        for (int seed = 0; seed < Seeds; seed++)
        {
            int first = FirstPick(seed);
            Assert.Equal(first, FirstPick(seed));
            counts[first]++;
        }

        // Pieces 0..5 tie at one peer; 6 and 7 are more common and never come first.
        Assert.Equal(0, counts[6] + counts[7]);
        Assert.All(counts[..6], count => Assert.InRange(count, Seeds / 6 / 2, Seeds / 6 * 2));

        static int FirstPick(int seed)
        {
            var fixture = new PickerFixture(8, 1, seed);
            SwarmPeer peer = fixture.Peer();
            fixture.Peer(6, 7);
            return Assert.Single(fixture.Pick(peer, 1)).Piece;
        }
    }

    [Fact]
    public void Started_pieces_are_continued_before_rarer_pieces_are_started()
    {
        var fixture = new PickerFixture(6, 4);
        SwarmPeer first = fixture.Peer(5);

        // Piece 5 becomes common, the rest stay rare; a peer that started it is asked for only half.
        for (int i = 0; i < 4; i++)
        {
            fixture.Peer(5);
        }

        Assert.Equal([new BlockRef(5, 0, Block), new BlockRef(5, Block, Block)], fixture.Pick(first, 2));
        SwarmPeer second = fixture.Peer();
        List<BlockRef> picked = fixture.Pick(second, 4);

        Assert.Equal([new BlockRef(5, 2 * Block, Block), new BlockRef(5, 3 * Block, Block)], picked[..2]);
        Assert.NotEqual(5, picked[2].Piece);
        Assert.Equal(picked[2].Piece, picked[3].Piece);
        Assert.Equal(2, fixture.Picker.Partials.Count);
    }

    [Fact]
    public void The_oldest_started_piece_is_continued_first_and_pieces_a_peer_lacks_are_skipped()
    {
        var fixture = new PickerFixture(4, 4);
        SwarmPeer a = fixture.Peer(0);
        SwarmPeer b = fixture.Peer(1);
        SwarmPeer c = fixture.Peer(2);
        Assert.All(fixture.Pick(a, 1), block => Assert.Equal(0, block.Piece));
        Assert.All(fixture.Pick(b, 1), block => Assert.Equal(1, block.Piece));
        Assert.All(fixture.Pick(c, 1), block => Assert.Equal(2, block.Piece));

        // A peer with pieces 1 and 2 only: piece 1 (started before 2) first, piece 0 skipped.
        SwarmPeer d = fixture.Peer(1, 2);
        Assert.Equal([1, 1, 1, 2, 2, 2], fixture.Pick(d, 6).Select(block => block.Piece));
    }

    [Fact]
    public void A_released_request_is_picked_again_before_anything_new()
    {
        var fixture = new PickerFixture(3, 4);
        SwarmPeer a = fixture.Peer();
        List<BlockRef> picked = fixture.Pick(a, 4);
        fixture.Picker.ReleaseRequest(picked[1]);

        SwarmPeer b = fixture.Peer();
        Assert.Equal(picked[1], fixture.Pick(b, 1)[0]);
    }

    [Fact]
    public void Endgame_starts_only_once_every_missing_block_is_requested()
    {
        var fixture = new PickerFixture(3, 2);
        SwarmPeer everything = fixture.Peer();
        SwarmPeer firstTwo = fixture.Peer(0, 1);
        fixture.Peer(2);
        fixture.Peer(2);

        // Piece 2 is the most common, so it is started last: its second block stays unrequested.
        List<BlockRef> picked = fixture.Pick(everything, 5);
        Assert.Equal(5, picked.Distinct().Count());
        Assert.Equal(new BlockRef(2, 0, Block), picked[^1]);
        BlockRef last = new(2, Block, Block);
        Assert.False(fixture.Picker.IsEndgame);

        // Not endgame yet: nothing is asked twice, even of a peer that has nothing else to do.
        Assert.Empty(fixture.Pick(firstTwo, 10));

        Assert.Equal([last], fixture.Pick(everything, 1));
        Assert.True(fixture.Picker.IsEndgame);

        // Endgame: the idle peer is asked for every block it can give, once.
        List<BlockRef> duplicates = fixture.Pick(firstTwo, 10);
        Assert.Equal(4, duplicates.Count);
        Assert.All(duplicates, block => Assert.InRange(block.Piece, 0, 1));
        Assert.Equal(4, duplicates.Distinct().Count());
    }

    [Fact]
    public void Endgame_never_asks_a_peer_twice_for_a_block_and_respects_the_duplicate_limit()
    {
        var fixture = new PickerFixture(2, 2);
        SwarmPeer a = fixture.Peer();
        SwarmPeer b = fixture.Peer();
        SwarmPeer c = fixture.Peer();

        Assert.Equal(4, fixture.Pick(a, 4).Count);
        Assert.True(fixture.Picker.IsEndgame);
        Assert.Empty(fixture.Pick(a, 10));
        Assert.Equal(4, fixture.Pick(b, 10).Count);
        Assert.Empty(fixture.Pick(b, 10));

        // Two peers have every block: with at most two requests per block, the third gets nothing.
        Assert.Empty(fixture.Pick(c, 10, endgameDuplicates: 2));
        Assert.Equal(4, fixture.Pick(c, 10, endgameDuplicates: 3).Distinct().Count());
    }

    [Fact]
    public void A_pick_that_enters_endgame_does_not_ask_the_same_peer_twice_for_a_block_it_just_picked()
    {
        var fixture = new PickerFixture(2, 4);
        SwarmPeer only = fixture.Peer();

        // All eight blocks are started and requested in this one call, which then finds itself in endgame.
        List<BlockRef> picked = fixture.Pick(only, 20);

        Assert.Equal(8, picked.Count);
        Assert.Equal(8, picked.Distinct().Count());
        Assert.Empty(fixture.Pick(only, 20));
    }

    [Fact]
    public void No_piece_is_started_while_the_write_cache_is_full_but_started_ones_continue()
    {
        var fixture = new PickerFixture(4, 4);
        SwarmPeer a = fixture.Peer();
        Assert.Equal(2, fixture.Pick(a, 2).Count);
        Assert.Single(fixture.Picker.Partials);

        List<BlockRef> picked = fixture.Pick(a, 10, mayStartPieces: false);

        Assert.Equal(2, picked.Count);
        Assert.All(picked, block => Assert.Equal(fixture.Picker.Partials[0].Index, block.Piece));
        Assert.Single(fixture.Picker.Partials);
        Assert.Empty(fixture.Pick(a, 10, mayStartPieces: false));

        var empty = new PickerFixture(4, 4);
        Assert.Empty(empty.Pick(empty.Peer(), 10, mayStartPieces: false));
        Assert.Empty(empty.Picker.Partials);
    }

    [Fact]
    public void Through_the_swarm_a_lone_seeder_is_never_asked_twice_for_a_block()
    {
        var harness = new SwarmHarness(pieceCount: 3, pieceLength: 4 * Block, lastPieceSize: Block + 5);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);

        List<BlockRef> requests = SwarmHarness.Requests(link.TakeMessages());

        Assert.Equal(10, requests.Count);
        Assert.Equal(10, requests.Distinct().Count());
    }

    [Fact]
    public void Through_the_swarm_no_new_piece_is_requested_until_the_full_write_cache_drains()
    {
        var settings = new SwarmSettings { WriteCacheLimit = 1, InitialQueueDepth = 4, MaxQueueDepth = 4 };
        var harness = new SwarmHarness(pieceCount: 8, pieceLength: 2 * Block, lastPieceSize: 2 * Block, settings: settings);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);
        List<BlockRef> first = SwarmHarness.Requests(link.TakeMessages());
        Assert.Equal(4, first.Count);
        int[] firstPieces = [.. first.Select(b => b.Piece).Distinct()];
        Assert.Equal(2, firstPieces.Length);

        // Every answer frees a pipeline slot, but the cache holds blocks: nothing new is started.
        foreach (BlockRef block in first)
        {
            harness.SendPiece(peer, block);
            Assert.Empty(SwarmHarness.Requests(link.TakeMessages()));
        }

        Assert.Equal(2, harness.PendingChecks.Count);
        harness.CompleteChecks();

        List<BlockRef> next = SwarmHarness.Requests(link.TakeMessages());
        Assert.Equal(4, next.Count);
        Assert.Empty(next.Select(b => b.Piece).Intersect(firstPieces));
        Assert.Equal(2, harness.Swarm.Have.Count);
    }

    [Fact]
    public void Through_the_swarm_no_new_piece_is_started_while_complete_pieces_wait_for_the_checker()
    {
        // A write cache with room for everything: only the checker's queue holds new pieces back.
        (SwarmHarness harness, RecordingLink link) = AnswerUntilHeldBack(new SwarmSettings { CheckQueueLimit = 2 * Block, InitialQueueDepth = 4, SlowStartLimit = 4 });

        harness.CompleteChecks();

        Assert.NotEmpty(SwarmHarness.Requests(link.TakeMessages()));
    }

    [Fact]
    public void Through_the_swarm_pieces_the_checker_has_not_written_hold_back_new_ones_and_written_ones_do_not()
    {
        // Room to verify everything: only pieces not yet on disk (those a kill loses) hold new pieces back.
        (SwarmHarness harness, RecordingLink link) = AnswerUntilHeldBack(new SwarmSettings { UnwrittenLimit = 2 * Block, InitialQueueDepth = 4, SlowStartLimit = 4 });

        // Written, not yet verified: nothing is claimed, and new pieces start.
        foreach ((int piece, _) in harness.PendingChecks)
        {
            harness.Swarm.OnPieceWritten(piece);
        }

        Assert.Equal(0, harness.Swarm.Have.Count);
        Assert.NotEmpty(SwarmHarness.Requests(link.TakeMessages()));
    }

    /// <summary>
    /// Eight pieces from a peer that answers every block asked for, while the checker never catches up: once the limit
    /// under test holds pieces back, no new piece is started, so only the pieces already under way complete (without
    /// the limit, all eight would).
    /// </summary>
    private static (SwarmHarness Harness, RecordingLink Link) AnswerUntilHeldBack(SwarmSettings settings)
    {
        var harness = new SwarmHarness(pieceCount: 8, pieceLength: 2 * Block, lastPieceSize: 2 * Block, settings: settings);
        (SwarmPeer peer, RecordingLink link) = harness.Connect(ReservedBits.Shoal);
        harness.Send(peer, MessageId.HaveAll);
        harness.Send(peer, MessageId.Unchoke);
        var requested = new Queue<BlockRef>(SwarmHarness.Requests(link.TakeMessages()));
        while (requested.TryDequeue(out BlockRef block))
        {
            harness.SendPiece(peer, block);
            foreach (BlockRef next in SwarmHarness.Requests(link.TakeMessages()))
            {
                requested.Enqueue(next);
            }
        }

        Assert.InRange(harness.PendingChecks.Count, 1, 3);
        return (harness, link);
    }

    [Fact]
    public async Task A_simulated_swarm_with_a_tiny_write_cache_completes_holding_few_blocks()
    {
        var settings = new SwarmSettings { WriteCacheLimit = 1, InitialQueueDepth = 8, MaxQueueDepth = 8 };
        using SwarmScenario scenario = await SwarmScenario.CreateAsync(1024 * 1024, 4 * Block, seed: 11);
        scenario.AddSeeder();
        scenario.AddSeeder();
        scenario.AddLeecher(settings);
        scenario.ConnectAll();
        int mostHeld = 0;

        Assert.True(scenario.Network.RunUntil(
            () =>
            {
                mostHeld = Math.Max(mostHeld, scenario.Pool.Outstanding);
                return scenario.Leechers.All(l => l.Swarm.IsComplete);
            },
            TimeSpan.FromMinutes(5)));

        // Only when nothing is buffered or in flight may pieces start, and one pipeline is eight blocks.
        Assert.InRange(mostHeld, 1, 8);
        scenario.AssertLeechersHaveContent();
        scenario.StopAndAssertBuffersReturned();
    }
}
