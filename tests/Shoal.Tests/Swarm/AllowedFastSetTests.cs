using System.Net;
using Shoal.Metainfo;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public class AllowedFastSetTests
{
    private const int PieceCount = 1313;
    private static readonly InfoHash InfoHash = InfoHash.FromHex(new string('a', 40));
    private static readonly IPAddress Peer = IPAddress.Parse("80.4.4.200");

    [Fact]
    public void Bep_6_example_with_seven_pieces() =>
        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188], AllowedFastSet.Compute(Peer, InfoHash, PieceCount, 7));

    [Fact]
    public void Bep_6_example_with_nine_pieces_extends_the_seven() =>
        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188, 353, 508], AllowedFastSet.Compute(Peer, InfoHash, PieceCount, 9));

    [Fact]
    public void The_last_byte_of_the_address_does_not_matter()
    {
        // BEP 6 masks the address with 0xFFFFFF00: peers behind one /24 get the same set.
        IReadOnlyList<int> expected = AllowedFastSet.Compute(Peer, InfoHash, PieceCount, 9);

        Assert.Equal(expected, AllowedFastSet.Compute(IPAddress.Parse("80.4.4.1"), InfoHash, PieceCount, 9));
        Assert.NotEqual(expected, AllowedFastSet.Compute(IPAddress.Parse("80.4.5.200"), InfoHash, PieceCount, 9));
    }

    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("::1")]
    [InlineData("fe80::80:4:4:200")]
    public void Ipv6_peers_get_an_empty_set(string address) =>
        Assert.Empty(AllowedFastSet.Compute(IPAddress.Parse(address), InfoHash, PieceCount, 9));

    [Fact]
    public void An_ipv4_mapped_ipv6_address_gets_the_ipv4_set()
    {
        IPAddress mapped = IPAddress.Parse("::ffff:80.4.4.200");
        Assert.True(mapped.IsIPv4MappedToIPv6);

        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188, 353, 508], AllowedFastSet.Compute(mapped, InfoHash, PieceCount, 9));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(9, 9)]
    [InlineData(3, 1000)]
    public void A_count_larger_than_the_piece_count_is_capped_at_every_piece_once(int pieceCount, int count)
    {
        IReadOnlyList<int> pieces = AllowedFastSet.Compute(Peer, InfoHash, pieceCount, count);

        Assert.Equal(Enumerable.Range(0, pieceCount), pieces.Order());
    }

    [Fact]
    public void Sets_are_distinct_pieces_in_range()
    {
        var random = new Random(6);
        for (int i = 0; i < 200; i++)
        {
            var address = new IPAddress(random.Next() & 0x7FFFFFFF);
            int pieceCount = random.Next(1, 3000);
            int count = random.Next(0, 20);
            IReadOnlyList<int> pieces = AllowedFastSet.Compute(address, InfoHash, pieceCount, count);

            Assert.Equal(Math.Min(count, pieceCount), pieces.Count);
            Assert.Equal(pieces.Count, pieces.Distinct().Count());
            Assert.All(pieces, p => Assert.InRange(p, 0, pieceCount - 1));
        }
    }

    [Fact]
    public void No_pieces_or_a_count_of_zero_give_an_empty_set()
    {
        Assert.Empty(AllowedFastSet.Compute(Peer, InfoHash, 0, 10));
        Assert.Empty(AllowedFastSet.Compute(Peer, InfoHash, PieceCount, 0));
    }

    [Fact]
    public void A_v2_info_hash_is_used_truncated_to_twenty_bytes()
    {
        var v2 = new InfoHash([.. Enumerable.Repeat((byte)0xaa, 20), .. Enumerable.Repeat((byte)0x55, 12)]);

        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188], AllowedFastSet.Compute(Peer, v2, PieceCount, 7));
    }
}
