using System.Net;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

/// <summary>BEP 55's binary payload: msg_type, addr_type, address, port, err_code, all big-endian.</summary>
public class HolepunchMessageTests
{
    [Fact]
    public void A_rendezvous_for_an_ipv4_peer_is_12_bytes()
    {
        var message = new HolepunchMessage(HolepunchMessageType.Rendezvous, IPEndPoint.Parse("1.2.3.4:6881"));
        byte[] expected = [0x00, 0x00, 1, 2, 3, 4, 0x1A, 0xE1, 0, 0, 0, 0];

        Assert.Equal(expected, message.Encode());
        Assert.Equal(message, HolepunchMessage.Parse(expected));
    }

    [Fact]
    public void A_connect_to_an_ipv6_peer_is_24_bytes()
    {
        var message = new HolepunchMessage(HolepunchMessageType.Connect, IPEndPoint.Parse("[2001:db8::1]:51413"));
        byte[] expected = [0x01, 0x01, 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xC8, 0xD5, 0, 0, 0, 0];

        Assert.Equal(expected, message.Encode());
        Assert.Equal(message, HolepunchMessage.Parse(expected));
    }

    [Theory]
    [InlineData(HolepunchError.NoSuchPeer, 0x01)]
    [InlineData(HolepunchError.NotConnected, 0x02)]
    [InlineData(HolepunchError.NoSupport, 0x03)]
    [InlineData(HolepunchError.NoSelf, 0x04)]
    public void An_error_carries_its_code_big_endian(HolepunchError error, byte code)
    {
        var message = new HolepunchMessage(HolepunchMessageType.Error, IPEndPoint.Parse("10.0.0.1:1"), error);
        byte[] expected = [0x02, 0x00, 10, 0, 0, 1, 0, 1, 0, 0, 0, code];

        Assert.Equal(expected, message.Encode());
        Assert.Equal(message, HolepunchMessage.Parse(expected));
    }

    [Fact]
    public void An_ipv4_mapped_address_is_sent_as_ipv4()
    {
        var message = new HolepunchMessage(HolepunchMessageType.Connect, new IPEndPoint(IPAddress.Parse("1.2.3.4").MapToIPv6(), 1));
        Assert.Equal([0x01, 0x00, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0], message.Encode());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x00 })]
    // One byte short, one byte long for IPv4.
    [InlineData(new byte[] { 0x00, 0x00, 1, 2, 3, 4, 0, 1, 0, 0, 0 })]
    [InlineData(new byte[] { 0x00, 0x00, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0, 0 })]
    // An IPv4 length with the IPv6 address type.
    [InlineData(new byte[] { 0x00, 0x01, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0 })]
    // Unknown address type, unknown message type.
    [InlineData(new byte[] { 0x00, 0x02, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x03, 0x00, 1, 2, 3, 4, 0, 1, 0, 0, 0, 0 })]
    public void A_malformed_message_is_a_protocol_error(byte[] payload) =>
        Assert.Throws<PeerProtocolException>(() => HolepunchMessage.Parse(payload));
}
