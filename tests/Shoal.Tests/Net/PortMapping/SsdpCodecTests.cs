using System.Text;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

public class SsdpCodecTests
{
    private static SsdpResponse Decode(string text) => SsdpCodec.DecodeResponse(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void Writes_an_m_search_as_uda_1_1_says()
    {
        string text = Encoding.ASCII.GetString(SsdpCodec.EncodeSearch("urn:schemas-upnp-org:device:InternetGatewayDevice:1", 2));

        Assert.Equal(
            "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\n"
            + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n",
            text);
        Assert.Throws<ArgumentOutOfRangeException>(() => SsdpCodec.EncodeSearch("ssdp:all", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SsdpCodec.EncodeSearch("ssdp:all", 6));
    }

    [Fact]
    public void Reads_miniupnpds_answer()
    {
        SsdpResponse response = Decode(GatewaySamples.MiniupnpdSearchAnswer);

        Assert.Equal(new Uri("http://192.168.77.1:39227/rootDesc.xml"), response.Location);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", response.SearchTarget);
        Assert.Equal("uuid:5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f360::urn:schemas-upnp-org:device:InternetGatewayDevice:1", response.UniqueServiceName);
        Assert.Equal("Debian/6.18.44-fc-v1252 UPnP/1.1 MiniUPnPd/2.3.1", response.Server);
    }

    [Fact]
    public void Reads_leniently_bare_line_feeds_any_case_spaces_no_server_and_no_final_blank_line()
    {
        SsdpResponse response = Decode("HTTP/1.1 200 OK\nlocation:http://10.0.0.138:49000/igd.xml  \nSt:  urn:schemas-upnp-org:device:InternetGatewayDevice:2\nusn: uuid:1");

        Assert.Equal(new Uri("http://10.0.0.138:49000/igd.xml"), response.Location);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:2", response.SearchTarget);
        Assert.Equal("uuid:1", response.UniqueServiceName);
        Assert.Equal("", response.Server);
    }

    [Theory]
    [InlineData("NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.0.1/d.xml\r\nST: x\r\nUSN: y\r\n\r\n", "not an SSDP search answer")]
    [InlineData("HTTP/1.1 404 Not Found\r\n\r\n", "not an SSDP search answer")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\nUSN: y\r\n\r\n", "without LOCATION")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/d.xml\r\nUSN: y\r\n\r\n", "without ST")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: https://10.0.0.1/d.xml\r\nST: x\r\nUSN: y\r\n\r\n", "not an http URL")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: /d.xml\r\nST: x\r\nUSN: y\r\n\r\n", "not an http URL")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header line")]
    public void Refuses_what_is_not_a_usable_answer(string text, string reason)
    {
        PortMappingException e = Assert.Throws<PortMappingException>(() => Decode(text));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_the_answer_and_its_location()
    {
        string longLocation = "http://10.0.0.1/" + new string('a', SsdpCodec.MaxLocationLength);
        Assert.Contains("more than", Assert.Throws<PortMappingException>(() => Decode($"HTTP/1.1 200 OK\r\nLOCATION: {longLocation}\r\nST: x\r\nUSN: y\r\n\r\n")).Message, StringComparison.Ordinal);
        Assert.Throws<PortMappingException>(() => SsdpCodec.DecodeResponse(new byte[SsdpCodec.MaxResponseSize + 1]));
    }
}
