using FsCheck;
using FsCheck.Fluent;
using Shoal.Net.Utp;

namespace Shoal.Tests.Net.Utp;

public class UtpPacketTests
{
    private static readonly Gen<UtpHeader> Headers =
        from type in Gen.Elements(UtpType.Data, UtpType.Fin, UtpType.State, UtpType.Reset, UtpType.Syn)
        from id in ArbMap.Default.GeneratorFor<ushort>()
        from timestamp in ArbMap.Default.GeneratorFor<uint>()
        from difference in ArbMap.Default.GeneratorFor<uint>()
        from window in ArbMap.Default.GeneratorFor<uint>()
        from seq in ArbMap.Default.GeneratorFor<ushort>()
        from ack in ArbMap.Default.GeneratorFor<ushort>()
        select new UtpHeader
        {
            Type = type,
            ConnectionId = id,
            Timestamp = timestamp,
            TimestampDifference = difference,
            WindowSize = window,
            SeqNr = seq,
            AckNr = ack,
        };

    private static readonly Gen<byte[]> SelectiveAcks = Gen.Choose(0, UtpPacket.MaxSelectiveAckLength / 4)
        .SelectMany(words => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), words * 4));

    private static readonly Gen<byte[]> Payloads = Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n));

    [Fact]
    public void Every_packet_reads_back_equal_with_its_selective_ack_and_payload()
    {
        Property roundTrip = Prop.ForAll(
            Arb.From(from header in Headers from sack in SelectiveAcks from payload in Payloads select (header, sack, payload)),
            input =>
            {
                (UtpHeader header, byte[] sack, byte[] payload) = input;
                byte[] datagram = new byte[UtpPacket.HeaderLength(sack.Length) + payload.Length];
                int length = UtpPacket.Write(datagram, header, sack);
                payload.CopyTo(datagram, length);

                bool read = UtpPacket.TryRead(datagram, out UtpHeader back, out ReadOnlySpan<byte> sackBack, out ReadOnlySpan<byte> payloadBack);
                return read && back.Equals(header) && sackBack.SequenceEqual(sack) && payloadBack.SequenceEqual(payload)
                    && UtpPacket.IsUtp(datagram);
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), roundTrip);
    }

    [Fact]
    public void The_header_is_big_endian_with_type_over_version_in_the_first_byte()
    {
        var header = new UtpHeader
        {
            Type = UtpType.Syn,
            ConnectionId = 0x1234,
            Timestamp = 0x01020304,
            TimestampDifference = 0x05060708,
            WindowSize = 0x090A0B0C,
            SeqNr = 0x0D0E,
            AckNr = 0x0F10,
        };
        byte[] datagram = new byte[UtpPacket.HeaderSize];
        UtpPacket.Write(datagram, header, default);

        Assert.Equal(
            [0x41, 0, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
            datagram);
    }

    [Fact]
    public void A_selective_ack_bit_maps_to_ack_nr_plus_2_least_significant_bit_first()
    {
        // BEP 29's figure: the first byte holds ack_nr + 2 (bit 0) to ack_nr + 9 (bit 7), the next byte from ack_nr + 10.
        byte[] sack = new byte[4];
        UtpPacket.SetSelectivelyAcked(sack, 0);
        UtpPacket.SetSelectivelyAcked(sack, 7);
        UtpPacket.SetSelectivelyAcked(sack, 8);
        UtpPacket.SetSelectivelyAcked(sack, 31);

        Assert.Equal([0b1000_0001, 0b0000_0001, 0, 0b1000_0000], sack);
        Assert.True(UtpPacket.IsSelectivelyAcked(sack, 8));
        Assert.False(UtpPacket.IsSelectivelyAcked(sack, 9));
    }

    [Fact]
    public void Unknown_extensions_are_skipped_by_their_length()
    {
        byte[] datagram = new byte[UtpPacket.HeaderSize + 2 + 3 + 2 + 4 + 2];
        UtpPacket.Write(datagram, new UtpHeader { Type = UtpType.State }, default);
        datagram[1] = 77;                       // first extension: unknown type 77
        datagram[20] = 1;                       // next: selective ack
        datagram[21] = 3;                       // 3 bytes of it
        datagram[25] = 0;                       // the selective ack ends the chain
        datagram[26] = 4;
        datagram[27] = 0xFF;
        datagram[^2] = 0xAB;                    // payload
        datagram[^1] = 0xCD;

        Assert.True(UtpPacket.TryRead(datagram, out _, out ReadOnlySpan<byte> sack, out ReadOnlySpan<byte> payload));
        Assert.Equal([0xFF, 0, 0, 0], sack.ToArray());
        Assert.Equal([0xAB, 0xCD], payload.ToArray());
    }

    [Theory]
    [InlineData(0)]     // an empty selective ack
    [InlineData(40)]    // running past the end
    public void Bad_extension_lengths_are_rejected(int length)
    {
        byte[] datagram = new byte[UtpPacket.HeaderSize + 2 + 8];
        UtpPacket.Write(datagram, new UtpHeader { Type = UtpType.State }, default);
        datagram[1] = 1;
        datagram[21] = (byte)length;

        Assert.False(UtpPacket.TryRead(datagram, out _, out _, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]     // libtorrent writes (span + 7) / 8 bytes, seldom a multiple of 4
    [InlineData(130)]   // and up to the room its packet has, past the 128 we write
    [InlineData(255)]
    public void Selective_acks_of_any_length_are_read_as_libtorrent_writes_them(int length)
    {
        byte[] datagram = new byte[UtpPacket.HeaderSize + 2 + length + 3];
        UtpPacket.Write(datagram, new UtpHeader { Type = UtpType.Data, SeqNr = 7, AckNr = 9 }, default);
        datagram[1] = UtpPacket.SelectiveAckExtension;
        datagram[21] = (byte)length;
        datagram[22] = 0b0000_0101;
        datagram.AsSpan(datagram.Length - 3).Fill(0xEE);

        Assert.True(UtpPacket.TryRead(datagram, out UtpHeader header, out ReadOnlySpan<byte> sack, out ReadOnlySpan<byte> payload));
        Assert.Equal((UtpType.Data, 7, 9), (header.Type, (int)header.SeqNr, (int)header.AckNr));
        Assert.Equal(length, sack.Length);
        Assert.True(UtpPacket.IsSelectivelyAcked(sack, 2));
        Assert.False(UtpPacket.IsSelectivelyAcked(sack, 1));
        Assert.Equal([0xEE, 0xEE, 0xEE], payload.ToArray());
    }

    [Fact]
    public void Dht_messages_and_short_or_foreign_datagrams_are_not_utp()
    {
        Assert.False(UtpPacket.IsUtp("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"u8));
        Assert.False(UtpPacket.IsUtp(new byte[19]));
        byte[] version2 = new byte[20];
        version2[0] = 0x02;
        Assert.False(UtpPacket.IsUtp(version2));
        byte[] type5 = new byte[20];
        type5[0] = 0x51;
        Assert.False(UtpPacket.IsUtp(type5));
        byte[] data = new byte[20];
        data[0] = 0x01;
        Assert.True(UtpPacket.IsUtp(data));
    }
}
