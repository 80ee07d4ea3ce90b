using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Shoal.Primitives;

namespace Shoal.Tests.Primitives;

public class PieceSetTests
{
    [Fact]
    public void Bytes_read_back_piece_zero_first_in_the_high_bit()
    {
        byte[] wire = [0b1010_0000, 0b0000_0001, 0b1100_0000];
        PieceSet pieces = Read(wire, 18);

        Assert.Equal([0, 2, 15, 16, 17], Enumerable.Range(0, 18).Where(i => pieces[i]));
        Assert.Equal(5, pieces.Count);
        Assert.Equal(wire, pieces.AsSpan().ToArray());
        Assert.Equal(wire, pieces.Clone().AsSpan().ToArray());
    }

    [Fact]
    public void Pieces_set_one_by_one_give_the_bep_3_layout()
    {
        var pieces = new PieceSet(10);
        pieces.Set(0);
        pieces.Set(7);
        pieces.Set(9);

        Assert.Equal([0b1000_0001, 0b0100_0000], pieces.AsSpan().ToArray());
    }

    [Theory]
    [InlineData(9, 2, 0b0100_0000)]
    [InlineData(9, 3, 0)]
    [InlineData(0, 1, 0)]
    public void Bytes_that_do_not_fit_the_length_or_set_a_spare_bit_are_not_read(int length, int byteCount, byte last)
    {
        byte[] bytes = new byte[byteCount];
        bytes[^1] = last;

        Assert.False(PieceSet.TryRead(bytes, length, out PieceSet? pieces));
        Assert.Null(pieces);
    }

    [Fact]
    public void An_empty_torrent_has_an_empty_set()
    {
        PieceSet pieces = Read([], 0);

        Assert.True(pieces.IsEmpty);
        Assert.True(pieces.IsComplete);
        Assert.Equal(0, pieces.AsSpan().Length);
    }

    [Fact]
    public void Count_follows_every_set_and_clear()
    {
        var pieces = new PieceSet(20);
        Assert.True(pieces.IsEmpty);

        Assert.True(pieces.Set(3));
        Assert.False(pieces.Set(3));
        Assert.Equal(1, pieces.Count);
        Assert.True(pieces.Set(19));
        Assert.Equal(2, pieces.Count);
        Assert.False(pieces.Set(4, false));
        Assert.Equal(2, pieces.Count);
        Assert.True(pieces.Set(3, false));
        Assert.False(pieces.Set(3, false));
        Assert.Equal(1, pieces.Count);
        Assert.False(pieces.IsEmpty);
        Assert.False(pieces.IsComplete);

        for (int i = 0; i < 20; i++)
        {
            pieces.Set(i);
        }

        Assert.True(pieces.IsComplete);
        Assert.Equal(20, pieces.Count);
        Assert.Equal(-1, pieces.NextClear(0));
        pieces.Set(12, false);
        Assert.Equal(12, pieces.NextClear(0));
        Assert.Equal(12, pieces.NextClear(12));
        Assert.Equal(-1, pieces.NextClear(13));
    }

    [Fact]
    public void Indexes_outside_the_set_are_rejected()
    {
        var pieces = new PieceSet(9);

        Assert.Throws<ArgumentOutOfRangeException>(() => pieces[9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => pieces[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => pieces.Set(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PieceSet(-1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1313)]
    public void SetAll_sets_every_piece_and_leaves_the_spare_bits_clear(int length)
    {
        var pieces = new PieceSet(length);
        pieces.SetAll();

        Assert.Equal(length, pieces.Count);
        Assert.True(pieces.IsComplete);
        Assert.All(Enumerable.Range(0, length), i => Assert.True(pieces[i]));

        // Readable again: the spare bits are zero.
        PieceSet read = Read(pieces.AsSpan(), length);
        Assert.Equal(length, read.Count);

        // Clearing one after SetAll keeps Count right.
        if (length > 0)
        {
            Assert.True(pieces.Set(length - 1, false));
            Assert.Equal(length - 1, pieces.Count);
            Assert.False(pieces.IsComplete);
        }
    }

    [Fact]
    public void SetAll_on_a_partly_full_set_counts_every_piece_once()
    {
        var pieces = new PieceSet(13);
        pieces.Set(2);
        pieces.Set(12);
        pieces.SetAll();

        Assert.Equal(13, pieces.Count);
        Assert.False(pieces.Set(2));
    }

    [Fact]
    public void Random_sets_round_trip_through_their_bitfield_layout()
    {
        Gen<(int Length, int[] Pieces)> sets =
            from length in Gen.Choose(0, 300)
            from pieces in length == 0 ? Gen.Constant(Array.Empty<int>()) : Gen.ArrayOf(Gen.Choose(0, length - 1))
            select (length, pieces);
        Config config = Config.QuickThrowOnFailure.WithMaxTest(500)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20260101UL), FSharpOption<int>.None)));

        Check.One(config, Prop.ForAll(Arb.From(sets), set =>
        {
            var pieces = new PieceSet(set.Length);
            foreach (int piece in set.Pieces)
            {
                pieces.Set(piece);
            }

            PieceSet read = Read(pieces.AsSpan(), set.Length);
            HashSet<int> expected = [.. set.Pieces];
            return read.Count == expected.Count
                && pieces.Count == expected.Count
                && Enumerable.Range(0, set.Length).All(i => read[i] == expected.Contains(i))
                && read.AsSpan().SequenceEqual(pieces.AsSpan());
        }));
    }

    private static PieceSet Read(ReadOnlySpan<byte> bytes, int length)
    {
        Assert.True(PieceSet.TryRead(bytes, length, out PieceSet? read));
        return read;
    }
}
