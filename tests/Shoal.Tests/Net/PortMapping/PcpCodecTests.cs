using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>PCP's MAP byte for byte, as RFC 6887 7.1, 7.2 and 11.1 lay it out, and its fallback to NAT-PMP (RFC 6887 9).</summary>
public sealed class PcpCodecTests
{
    private static readonly byte[] Nonce = Convert.FromHexString("0102030405060708090A0B0C");

    // The 128-bit IPv4-mapped forms (RFC 6887 5) of 192.168.1.20 and 203.0.113.7.
    private const string Client = "00000000000000000000FFFFC0A80114";
    private const string External = "00000000000000000000FFFFCB007107";

    [Fact]
    public void A_map_request_has_the_header_the_client_address_the_nonce_and_the_ports()
    {
        byte[] request = PcpCodec.MapRequest(Nonce, MappingProtocol.Tcp, 6881, 6881, 7200, IPAddress.Parse("192.168.1.20"));

        string expected =
            "02" + "01" + "0000" + "00001C20" + Client // version 2, R = 0 and MAP, reserved, lifetime, client address
            + "0102030405060708090A0B0C" // nonce
            + "06" + "000000" + "1AE1" + "1AE1" // TCP, reserved, internal port, suggested external port
            + "00000000000000000000FFFF00000000"; // no suggested external address: IPv4 all zeros
        Assert.Equal(expected, Convert.ToHexString(request));
        Assert.Equal(60, request.Length);
    }

    [Fact]
    public void A_map_response_gives_the_assigned_port_address_and_lifetime()
    {
        byte[] packet = Convert.FromHexString(
            "02" + "81" + "00" + "00" + "00001C20" + "00000064" + "000000000000000000000000" // version, R = 1 and MAP, reserved, SUCCESS, lifetime, epoch, reserved
            + "0102030405060708090A0B0C" + "11" + "000000" + "1AE1" + "1AE2" + External); // nonce, UDP, reserved, internal, external, address

        PcpMapResponse? response = PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Udp, 6881);

        Assert.Equal(new PcpMapResponse(2, PcpResult.Success, 7200, 100, 6882, IPAddress.Parse("203.0.113.7")), response);
    }

    [Fact]
    public void Another_nonce_protocol_or_port_is_not_our_answer()
    {
        string header = "02" + "81" + "00" + "00" + "00001C20" + "00000064" + "000000000000000000000000";
        byte[] packet = Convert.FromHexString(header + "0102030405060708090A0B0C" + "06" + "000000" + "1AE1" + "1AE1" + External);

        Assert.NotNull(PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Tcp, 6881));
        Assert.Null(PcpCodec.ReadMapResponse(packet, new byte[12], MappingProtocol.Tcp, 6881));
        Assert.Null(PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Udp, 6881));
        Assert.Null(PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Tcp, 6882));
        Assert.Null(PcpCodec.ReadMapResponse(Convert.FromHexString("0201"), Nonce, MappingProtocol.Tcp, 6881));
    }

    [Fact]
    public void An_error_result_is_read_with_its_meaning()
    {
        // NOT_AUTHORIZED (2), lifetime 1800 (RFC 6887 7.2: how long the error holds), payload echoed.
        byte[] packet = Convert.FromHexString(
            "02" + "81" + "00" + "02" + "00000708" + "00000064" + "000000000000000000000000"
            + "0102030405060708090A0B0C" + "06" + "000000" + "1AE1" + "0000" + "00000000000000000000FFFF00000000");

        PcpMapResponse? response = PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Tcp, 6881);

        Assert.Equal(PcpResult.NotAuthorized, response?.Result);
        Assert.Contains("refuses to map ports", PcpCodec.Meaning(PcpResult.NotAuthorized), StringComparison.Ordinal);
        Assert.Contains("another NAT", PcpCodec.Meaning(PcpResult.AddressMismatch), StringComparison.Ordinal);
    }

    [Fact]
    public void A_nat_pmp_gateway_answers_version_0_and_the_client_falls_back()
    {
        // RFC 6887 9 / RFC 6886 3.5: version 0, opcode 129 (our MAP's 1 + 128), result 1 Unsupported Version, epoch.
        byte[] packet = Convert.FromHexString("00810001" + "00000064");

        PcpMapResponse? response = PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Tcp, 6881);

        Assert.Equal((byte)0, response?.Version);
        Assert.Equal(PcpResult.UnsupportedVersion, response?.Result);
    }

    [Fact]
    public void A_pcp_server_of_another_version_says_unsupp_version()
    {
        // A version 1 server's UNSUPP_VERSION (RFC 6887 9: it answers with the version it speaks).
        byte[] packet = Convert.FromHexString("01810001" + "00000000" + "00000064" + "000000000000000000000000");

        PcpMapResponse? response = PcpCodec.ReadMapResponse(packet, Nonce, MappingProtocol.Tcp, 6881);

        Assert.Equal((byte)1, response?.Version);
        Assert.Equal(PcpResult.UnsupportedVersion, response?.Result);
    }
}
