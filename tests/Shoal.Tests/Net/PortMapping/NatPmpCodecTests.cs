using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>NAT-PMP's messages byte for byte, as RFC 6886 3.2 to 3.5 lay them out.</summary>
public sealed class NatPmpCodecTests
{
    [Fact]
    public void The_external_address_request_is_version_0_opcode_0()
    {
        Assert.Equal("0000", Convert.ToHexString(NatPmpCodec.ExternalAddressRequest()));
    }

    [Fact]
    public void The_external_address_response_gives_result_epoch_and_address()
    {
        // Version 0, opcode 128, result 0, 7200 s since the epoch, 203.0.113.7.
        byte[] packet = Convert.FromHexString("00800000" + "00001C20" + "CB007107");

        NatPmpAddressResponse? response = NatPmpCodec.ReadExternalAddressResponse(packet);

        Assert.Equal(new NatPmpAddressResponse(NatPmpResult.Success, 7200, IPAddress.Parse("203.0.113.7")), response);
    }

    [Fact]
    public void A_map_request_carries_opcode_ports_and_lifetime()
    {
        // Version 0, opcode 2 (TCP), reserved, internal port 6881, suggested external 6881, 7200 s.
        Assert.Equal("000200001AE11AE100001C20", Convert.ToHexString(NatPmpCodec.MapRequest(MappingProtocol.Tcp, 6881, 6881, 7200)));

        // Opcode 1 is UDP; RFC 6886 3.4 deletes with lifetime 0 and external port 0.
        Assert.Equal("000100001AE1000000000000", Convert.ToHexString(NatPmpCodec.MapRequest(MappingProtocol.Udp, 6881, 0, 0)));
    }

    [Fact]
    public void A_map_response_gives_the_granted_port_and_lifetime()
    {
        // Version 0, opcode 130 (TCP + 128), result 0, epoch 300, internal 6881, external 6882, 3600 s.
        byte[] packet = Convert.FromHexString("00820000" + "0000012C" + "1AE1" + "1AE2" + "00000E10");

        Assert.Equal(new NatPmpMapResponse(NatPmpResult.Success, 300, 6881, 6882, 3600), NatPmpCodec.ReadMapResponse(packet, MappingProtocol.Tcp, 6881));
        Assert.Null(NatPmpCodec.ReadMapResponse(packet, MappingProtocol.Udp, 6881));
        Assert.Null(NatPmpCodec.ReadMapResponse(packet, MappingProtocol.Tcp, 6882));
    }

    [Fact]
    public void An_error_response_may_stop_after_the_epoch_and_has_a_meaning()
    {
        // RFC 6886 3.5: result 2, Not Authorized/Refused.
        byte[] packet = Convert.FromHexString("00820002" + "0000012C");

        NatPmpMapResponse? response = NatPmpCodec.ReadMapResponse(packet, MappingProtocol.Tcp, 6881);

        Assert.Equal(NatPmpResult.NotAuthorized, response?.Result);
        Assert.Contains("refuses to map ports", NatPmpCodec.Meaning(response!.Result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0080")]
    [InlineData("01800000000000000A000001")]
    [InlineData("00810000000000000A000001")]
    public void A_packet_that_is_not_the_answer_is_ignored(string hex)
    {
        Assert.Null(NatPmpCodec.ReadExternalAddressResponse(Convert.FromHexString(hex)));
    }
}
