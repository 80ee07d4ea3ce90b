using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

public class BitfieldMessageTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(1313)]
    public void Any_spare_bit_set_is_a_protocol_error(int length)
    {
        int bytes = PieceSet.ByteLengthFor(length);
        int spare = (bytes * 8) - length;
        for (int bit = 0; bit < spare; bit++)
        {
            byte[] wire = new byte[bytes];
            wire[^1] = (byte)(1 << bit);

            Assert.Throws<PeerProtocolException>(() => BitfieldMessage.Decode(wire, length));
        }

        // The last real piece is fine.
        byte[] last = new byte[bytes];
        last[^1] = (byte)(1 << spare);
        Assert.True(BitfieldMessage.Decode(last, length)[length - 1]);
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
        Assert.Throws<PeerProtocolException>(() => BitfieldMessage.Decode(new byte[wireLength], length));
}
