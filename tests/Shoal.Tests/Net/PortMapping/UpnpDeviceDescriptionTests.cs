using System.Text;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

public class UpnpDeviceDescriptionTests
{
    private static readonly Uri Location = new("http://192.168.77.1:39227/rootDesc.xml");

    private static UpnpControlPoint Parse(string xml, Uri? location = null, int maxBytes = 64 * 1024) =>
        UpnpDeviceDescription.Parse(Encoding.UTF8.GetBytes(xml), location ?? Location, maxBytes);

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Finds_miniupnpds_wan_ip_connection_relative_to_the_location(int version)
    {
        UpnpControlPoint control = Parse(GatewaySamples.MiniupnpdDescription(version));

        Assert.Equal($"urn:schemas-upnp-org:service:WANIPConnection:{version}", control.ServiceType);
        Assert.Equal(new Uri("http://192.168.77.1:39227/ctl/IPConn"), control.ControlUrl);
        Assert.Equal(version == 2, control.IsVersion2);
    }

    [Fact]
    public void Prefers_ip_to_ppp_and_resolves_against_url_base()
    {
        UpnpControlPoint control = Parse(GatewaySamples.DslRouterDescription, new Uri("http://10.0.0.138:49000/igd.xml"));

        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", control.ServiceType);
        Assert.Equal(new Uri("http://10.0.0.138:49000/upnp/control/WANIPConn1"), control.ControlUrl);
    }

    [Fact]
    public void Takes_ppp_when_it_is_the_only_connection()
    {
        string pppOnly = GatewaySamples.DslRouterDescription.Replace("WANIPConnection:1", "WANIPConnection:0", StringComparison.Ordinal);

        Assert.Equal("urn:schemas-upnp-org:service:WANPPPConnection:1", Parse(pppOnly).ServiceType);
    }

    [Fact]
    public void Refuses_a_device_that_is_not_a_gateway_or_has_its_service_elsewhere()
    {
        string mediaServer = GatewaySamples.MiniupnpdDescription()
            .Replace("device:InternetGatewayDevice:2", "device:MediaServer:1", StringComparison.Ordinal);
        Assert.Contains("not an Internet Gateway Device", Assert.Throws<PortMappingException>(() => Parse(mediaServer)).Message, StringComparison.Ordinal);

        // The connection service directly on the WANDevice, not inside a WANConnectionDevice.
        string misplaced = GatewaySamples.MiniupnpdDescription()
            .Replace("WANIPConnection:2", "Other:1", StringComparison.Ordinal)
            .Replace("WANCommonInterfaceConfig:1", "WANIPConnection:2", StringComparison.Ordinal);
        Assert.Throws<PortMappingException>(() => Parse(misplaced));
    }

    [Fact]
    public void Refuses_a_dtd_malformed_xml_and_a_description_over_the_limit()
    {
        string billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><root>&b;</root>";
        Assert.Contains("not well-formed XML", Assert.Throws<PortMappingException>(() => Parse(billionLaughs)).Message, StringComparison.Ordinal);
        Assert.Throws<PortMappingException>(() => Parse("<root><device>"));
        string description = GatewaySamples.MiniupnpdDescription();
        Assert.Contains("more than", Assert.Throws<PortMappingException>(() => Parse(description, maxBytes: description.Length - 1)).Message, StringComparison.Ordinal);
    }
}
