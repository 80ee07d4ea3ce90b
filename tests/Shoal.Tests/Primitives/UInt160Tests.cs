using Shoal.Primitives;

namespace Shoal.Tests.Primitives;

public class UInt160Tests
{
    [Fact]
    public void Bytes_round_trip_and_print_as_lower_case_hex()
    {
        byte[] bytes = [.. Enumerable.Range(0xA0, UInt160.Size).Select(i => (byte)i)];
        UInt160 value = UInt160.Read(bytes);

        Assert.Equal(bytes, value.ToArray());
        Assert.Equal(Convert.ToHexStringLower(bytes), value.ToString());
        Assert.Throws<ArgumentException>(() => UInt160.Read(new byte[UInt160.Size - 1]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 3)]
    [InlineData(8, 0)]
    [InlineData(12, 1)]
    [InlineData(19, 7)]
    public void Numbers_compare_by_their_first_differing_byte_and_count_the_zeros_before_it(int index, int bit)
    {
        byte[] bytes = new byte[UInt160.Size];
        bytes[index] = (byte)(0x80 >> bit);
        UInt160 one = UInt160.Read(bytes);
        UInt160 zero = UInt160.Read(new byte[UInt160.Size]);

        Assert.True(one > zero);
        Assert.Equal((index * 8) + bit, UInt160.LeadingZeroCount(one));
        Assert.Equal(UInt160.Bits, UInt160.LeadingZeroCount(one ^ one));
        Assert.Equal(one, UInt160.Read(bytes));
    }
}
