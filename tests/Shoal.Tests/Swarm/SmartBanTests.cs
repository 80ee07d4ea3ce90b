using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public class SmartBanTests
{
    private const int BlockLength = 64;

    private static ReadOnlyMemory<byte> GoodBlock(int piece, int block) =>
        Enumerable.Range(0, BlockLength).Select(i => (byte)(piece * 31 + block * 7 + i)).ToArray();

    private static ReadOnlyMemory<byte> BadBlock(int piece, int block)
    {
        byte[] bytes = GoodBlock(piece, block).ToArray();
        bytes[5] ^= 0xFF;
        return bytes;
    }

    /// <summary>The blocks of a piece, block i sent by senders[i], corrupt where <paramref name="corrupt"/> says.</summary>
    private static (string Sender, ReadOnlyMemory<byte> Block)[] Piece(int piece, string[] senders, params int[] corrupt) =>
        [.. senders.Select((sender, block) => (sender, corrupt.Contains(block) ? BadBlock(piece, block) : GoodBlock(piece, block)))];

    [Fact]
    public void A_piece_that_passes_after_failing_convicts_the_one_liar_among_four_senders_and_clears_the_rest()
    {
        var smartBan = new SmartBan<string>();

        Assert.Empty(smartBan.OnPieceFailed(7, Piece(7, ["a", "b", "c", "d"], corrupt: 3)));
        Assert.All(["a", "b", "c", "d"], peer => Assert.Equal(1, smartBan.StrikesOf(peer)));
        Assert.True(smartBan.HasFailed(7));

        IReadOnlyCollection<string> banned = smartBan.OnPiecePassed(7, Piece(7, ["a", "a", "b", "c"]));

        Assert.Equal(["d"], banned);
        Assert.True(smartBan.IsBanned("d"));
        Assert.All(["a", "b", "c"], peer =>
        {
            Assert.False(smartBan.IsBanned(peer));
            Assert.Equal(0, smartBan.StrikesOf(peer));
        });
        Assert.False(smartBan.HasFailed(7));
        Assert.Equal(0, smartBan.FailedPieceCount);
    }

    [Fact]
    public void A_liar_is_found_even_when_the_piece_failed_several_times_with_other_senders()
    {
        var smartBan = new SmartBan<string>(maxStrikes: 10);
        smartBan.OnPieceFailed(2, Piece(2, ["a", "liar", "b", "c"], corrupt: 1));
        smartBan.OnPieceFailed(2, Piece(2, ["liar", "b", "c", "a"], corrupt: 0));

        Assert.Equal(["liar"], smartBan.OnPiecePassed(2, Piece(2, ["b", "b", "c", "a"])));
        Assert.Equal(0, smartBan.StrikesOf("a"));
    }

    [Fact]
    public void A_lone_sender_of_failed_pieces_is_banned_at_its_second_strike()
    {
        var smartBan = new SmartBan<string>();
        string[] alone = ["e", "e", "e", "e"];

        Assert.Empty(smartBan.OnPieceFailed(1, Piece(1, alone, corrupt: 2)));
        Assert.False(smartBan.IsBanned("e"));

        Assert.Equal(["e"], smartBan.OnPieceFailed(2, Piece(2, alone, corrupt: 0)));
        Assert.True(smartBan.IsBanned("e"));
        Assert.Equal(2, smartBan.StrikesOf("e"));
    }

    [Fact]
    public void Any_sender_is_banned_at_max_strikes()
    {
        var smartBan = new SmartBan<string>(maxStrikes: 3);

        Assert.Empty(smartBan.OnPieceFailed(1, Piece(1, ["a", "b"], corrupt: 0)));
        Assert.Empty(smartBan.OnPieceFailed(2, Piece(2, ["a", "c"], corrupt: 0)));
        Assert.Equal(["a"], smartBan.OnPieceFailed(3, Piece(3, ["d", "a"], corrupt: 1)));

        Assert.Empty(smartBan.OnPieceFailed(4, Piece(4, ["a", "b"], corrupt: 0)));
        Assert.Equal(2, smartBan.StrikesOf("b"));
    }

    [Fact]
    public void Passing_a_piece_that_never_failed_does_nothing()
    {
        var smartBan = new SmartBan<string>();

        Assert.Empty(smartBan.OnPiecePassed(3, Piece(3, ["a", "b"])));
        Assert.Equal(0, smartBan.StrikesOf("a"));
    }

    [Fact]
    public void Memory_is_bounded_by_forgetting_the_oldest_failed_pieces()
    {
        var smartBan = new SmartBan<string>(maxStrikes: 1000, maxFailedPieces: 4);
        for (int piece = 0; piece < 10; piece++)
        {
            smartBan.OnPieceFailed(piece, Piece(piece, ["a", $"liar{piece}"], corrupt: 1));
        }

        Assert.Equal(4, smartBan.FailedPieceCount);
        Assert.False(smartBan.HasFailed(5));
        Assert.True(smartBan.HasFailed(6));
        Assert.True(smartBan.HasFailed(9));
        Assert.Empty(smartBan.OnPiecePassed(0, Piece(0, ["a", "a"])));
        Assert.Equal(["liar9"], smartBan.OnPiecePassed(9, Piece(9, ["a", "a"])));
        Assert.Equal(9, smartBan.StrikesOf("a"));
    }

    // Found by SwarmFuzzTests at 10 million messages: every address that ever had a strike or a ban stayed, and a peer
    // with many addresses (an IPv6 /64) could grow both without end.
    [Fact]
    public void Memory_is_bounded_for_peers_with_strikes_and_banned_peers_the_oldest_ban_forgotten_first()
    {
        var smartBan = new SmartBan<string>(maxStrikes: 2, maxPeers: 100);
        for (int i = 0; i < 1000; i++)
        {
            smartBan.OnPieceFailed(i, Piece(i, [$"once{i}", $"twice{i}", $"twice{i}"], corrupt: 1));
            smartBan.Ban($"banned{i}");
        }

        Assert.InRange(smartBan.PeersWithStrikes, 1, 100);
        Assert.Equal(100, smartBan.Banned.Count);
        Assert.False(smartBan.IsBanned("banned899"));
        Assert.True(smartBan.IsBanned("banned999"));
    }

    // Found by SwarmFuzzTests at 10 million messages: a piece that failed again and again gathered every version of its
    // blocks for ever.
    [Fact]
    public void A_piece_that_fails_again_and_again_remembers_only_its_last_few_failures()
    {
        var smartBan = new SmartBan<string>(maxStrikes: 100_000);
        for (int i = 0; i < 1000; i++)
        {
            smartBan.OnPieceFailed(0, Piece(0, ["honest", $"liar{i}"], corrupt: 1));
        }

        IReadOnlyCollection<string> banned = smartBan.OnPiecePassed(0, Piece(0, ["honest", "honest"]));

        Assert.Contains("liar999", banned);
        Assert.InRange(banned.Count, 1, 8);
    }

    [Fact]
    public void Peers_banned_by_hand_are_reported_banned()
    {
        var smartBan = new SmartBan<string>();

        Assert.True(smartBan.Ban("x"));
        Assert.False(smartBan.Ban("x"));
        Assert.True(smartBan.IsBanned("x"));
        Assert.Equal(["x"], smartBan.Banned);
    }
}
