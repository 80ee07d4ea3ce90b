using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

public class BitfieldTests
{
    [Fact]
    public void Wire_bytes_read_back_piece_zero_first_in_the_high_bit()
    {
        byte[] wire = [0b1010_0000, 0b0000_0001, 0b1100_0000];
        Bitfield bitfield = Bitfield.FromWire(wire, 18);

        Assert.Equal([0, 2, 15, 16, 17], Enumerable.Range(0, 18).Where(i => bitfield[i]));
        Assert.Equal(5, bitfield.Count);
        Assert.Equal(wire, bitfield.AsSpan().ToArray());
        Assert.Equal(wire, bitfield.Clone().AsSpan().ToArray());
    }

    [Fact]
    public void Pieces_set_one_by_one_give_the_bep_3_layout()
    {
        var bitfield = new Bitfield(10);
        bitfield.Set(0);
        bitfield.Set(7);
        bitfield.Set(9);

        Assert.Equal([0b1000_0001, 0b0100_0000], bitfield.AsSpan().ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(1313)]
    public void Any_spare_bit_set_is_a_protocol_error(int length)
    {
        int bytes = Bitfield.ByteLengthFor(length);
        int spare = (bytes * 8) - length;
        for (int bit = 0; bit < spare; bit++)
        {
            byte[] wire = new byte[bytes];
            wire[^1] = (byte)(1 << bit);

            Assert.Throws<PeerProtocolException>(() => Bitfield.FromWire(wire, length));
        }

        // The last real piece is fine.
        byte[] last = new byte[bytes];
        last[^1] = (byte)(1 << spare);
        Assert.True(Bitfield.FromWire(last, length)[length - 1]);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(8, 2)]
    [InlineData(9, 1)]
    [InlineData(9, 3)]
    [InlineData(0, 1)]
    [InlineData(1313, 164)]
    [InlineData(1313, 166)]
    public void A_wire_length_that_does_not_fit_the_piece_count_is_a_protocol_error(int length, int wireLength) =>
        Assert.Throws<PeerProtocolException>(() => Bitfield.FromWire(new byte[wireLength], length));

    [Fact]
    public void An_empty_torrent_has_an_empty_bitfield()
    {
        Bitfield bitfield = Bitfield.FromWire([], 0);

        Assert.True(bitfield.IsEmpty);
        Assert.True(bitfield.IsComplete);
        Assert.Equal(0, bitfield.AsSpan().Length);
    }

    [Fact]
    public void Count_follows_every_set_and_clear()
    {
        var bitfield = new Bitfield(20);
        Assert.True(bitfield.IsEmpty);

        Assert.True(bitfield.Set(3));
        Assert.False(bitfield.Set(3));
        Assert.Equal(1, bitfield.Count);
        Assert.True(bitfield.Set(19));
        Assert.Equal(2, bitfield.Count);
        Assert.False(bitfield.Set(4, false));
        Assert.Equal(2, bitfield.Count);
        Assert.True(bitfield.Set(3, false));
        Assert.False(bitfield.Set(3, false));
        Assert.Equal(1, bitfield.Count);
        Assert.False(bitfield.IsEmpty);
        Assert.False(bitfield.IsComplete);

        for (int i = 0; i < 20; i++)
        {
            bitfield.Set(i);
        }

        Assert.True(bitfield.IsComplete);
        Assert.Equal(20, bitfield.Count);
        Assert.Equal(-1, bitfield.NextClear(0));
        bitfield.Set(12, false);
        Assert.Equal(12, bitfield.NextClear(0));
        Assert.Equal(12, bitfield.NextClear(12));
        Assert.Equal(-1, bitfield.NextClear(13));
    }

    [Fact]
    public void Indexes_outside_the_bitfield_are_rejected()
    {
        var bitfield = new Bitfield(9);

        Assert.Throws<ArgumentOutOfRangeException>(() => bitfield[9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bitfield[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bitfield.Set(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bitfield(-1));
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
        var bitfield = new Bitfield(length);
        bitfield.SetAll();

        Assert.Equal(length, bitfield.Count);
        Assert.True(bitfield.IsComplete);
        Assert.All(Enumerable.Range(0, length), i => Assert.True(bitfield[i]));

        // A peer would accept it: spare bits are zero.
        Bitfield read = Bitfield.FromWire(bitfield.AsSpan(), length);
        Assert.Equal(length, read.Count);

        // Clearing one after SetAll keeps Count right.
        if (length > 0)
        {
            Assert.True(bitfield.Set(length - 1, false));
            Assert.Equal(length - 1, bitfield.Count);
            Assert.False(bitfield.IsComplete);
        }
    }

    [Fact]
    public void SetAll_on_a_partly_set_bitfield_counts_every_piece_once()
    {
        var bitfield = new Bitfield(13);
        bitfield.Set(2);
        bitfield.Set(12);
        bitfield.SetAll();

        Assert.Equal(13, bitfield.Count);
        Assert.False(bitfield.Set(2));
    }

    [Fact]
    public void Random_sets_round_trip_through_their_wire_form()
    {
        Gen<(int Length, int[] Pieces)> sets =
            from length in Gen.Choose(0, 300)
            from pieces in length == 0 ? Gen.Constant(Array.Empty<int>()) : Gen.ArrayOf(Gen.Choose(0, length - 1))
            select (length, pieces);
        Config config = Config.QuickThrowOnFailure.WithMaxTest(500)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20260101UL), FSharpOption<int>.None)));

        Check.One(config, Prop.ForAll(Arb.From(sets), set =>
        {
            var bitfield = new Bitfield(set.Length);
            foreach (int piece in set.Pieces)
            {
                bitfield.Set(piece);
            }

            Bitfield read = Bitfield.FromWire(bitfield.AsSpan(), set.Length);
            HashSet<int> expected = [.. set.Pieces];
            return read.Count == expected.Count
                && bitfield.Count == expected.Count
                && Enumerable.Range(0, set.Length).All(i => read[i] == expected.Contains(i))
                && read.AsSpan().SequenceEqual(bitfield.AsSpan());
        }));
    }
}
