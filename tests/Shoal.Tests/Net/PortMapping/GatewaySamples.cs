namespace Shoal.Tests.Net.PortMapping;

/// <summary>What real gateways send: miniupnpd 2.3.1's as captured from Debian's package in a network namespace.</summary>
internal static class GatewaySamples
{
    public const string MiniupnpdSearchAnswer =
        "HTTP/1.1 200 OK\r\n"
        + "CACHE-CONTROL: max-age=120\r\n"
        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "USN: uuid:5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f360::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "EXT:\r\n"
        + "SERVER: Debian/6.18.44-fc-v1252 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
        + "LOCATION: http://192.168.77.1:39227/rootDesc.xml\r\n"
        + "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
        + "01-NLS: 1796649371\r\n"
        + "BOOTID.UPNP.ORG: 1796649371\r\n"
        + "CONFIGID.UPNP.ORG: 1337\r\n"
        + "\r\n";

    /// <summary>
    /// miniupnpd 2.3.1's rootDesc.xml as Debian's package serves it (IGD:2): the connection service two devices down,
    /// relative URLs, no URLBase. With <c>force_igd_desc_v1=yes</c> it is the same with every version 1
    /// (<paramref name="version"/> 1).
    /// </summary>
    public static string MiniupnpdDescription(int version = 2)
    {
        string igd2 =
            "<?xml version=\"1.0\"?>\n"
            + "<root xmlns=\"urn:schemas-upnp-org:device-1-0\" configId=\"1337\"><specVersion><major>1</major><minor>1</minor></specVersion><device>"
            + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType><friendlyName>Debian router</friendlyName>"
            + "<manufacturer>Debian</manufacturer><manufacturerURL>http://www.debian.org/</manufacturerURL><modelDescription>Debian router"
            + "</modelDescription><modelName>Debian router</modelName><modelNumber>1</modelNumber><modelURL>http://www.debian.org/</modelURL>"
            + "<serialNumber>00000000</serialNumber><UDN>uuid:5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f360</UDN><serviceList><service>"
            + "<serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1"
            + "</serviceId><SCPDURL>/L3F.xml</SCPDURL><controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL></service><service>"
            + "<serviceType>urn:schemas-upnp-org:service:DeviceProtection:1</serviceType><serviceId>urn:upnp-org:serviceId:DeviceProtection1"
            + "</serviceId><SCPDURL>/DP.xml</SCPDURL><controlURL>/ctl/DP</controlURL><eventSubURL>/evt/DP</eventSubURL></service></serviceList>"
            + "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><friendlyName>WANDevice</friendlyName>"
            + "<manufacturer>MiniUPnP</manufacturer><manufacturerURL>http://miniupnp.free.fr/</manufacturerURL><modelDescription>WAN Device"
            + "</modelDescription><modelName>WAN Device</modelName><modelNumber>20221221</modelNumber><modelURL>http://miniupnp.free.fr/"
            + "</modelURL><serialNumber>00000000</serialNumber><UDN>uuid:5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f361</UDN><UPC>000000000000</UPC>"
            + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
            + "<serviceId>urn:upnp-org:serviceId:WANCommonIFC1</serviceId><SCPDURL>/WANCfg.xml</SCPDURL><controlURL>/ctl/CmnIfCfg</controlURL>"
            + "<eventSubURL>/evt/CmnIfCfg</eventSubURL></service></serviceList><deviceList><device>"
            + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType><friendlyName>WANConnectionDevice</friendlyName>"
            + "<manufacturer>MiniUPnP</manufacturer><manufacturerURL>http://miniupnp.free.fr/</manufacturerURL><modelDescription>MiniUPnP daemon"
            + "</modelDescription><modelName>MiniUPnPd</modelName><modelNumber>20221221</modelNumber><modelURL>http://miniupnp.free.fr/"
            + "</modelURL><serialNumber>00000000</serialNumber><UDN>uuid:5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f362</UDN><UPC>000000000000</UPC>"
            + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType>"
            + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><SCPDURL>/WANIPCn.xml</SCPDURL><controlURL>/ctl/IPConn</controlURL>"
            + "<eventSubURL>/evt/IPConn</eventSubURL></service><service><serviceType>urn:schemas-upnp-org:service:WANIPv6FirewallControl:1"
            + "</serviceType><serviceId>urn:upnp-org:serviceId:WANIPv6Firewall1</serviceId><SCPDURL>/WANIP6FC.xml</SCPDURL>"
            + "<controlURL>/ctl/IP6FCtl</controlURL><eventSubURL>/evt/IP6FCtl</eventSubURL></service></serviceList></device></deviceList>"
            + "</device></deviceList><presentationURL>http://192.168.77.1/</presentationURL></device></root>";
        return version == 2 ? igd2 : igd2.Replace("Device:2<", "Device:1<", StringComparison.Ordinal).Replace("WANIPConnection:2<", "WANIPConnection:1<", StringComparison.Ordinal);
    }

    /// <summary>An older router's description (UDA 1.0): a URLBase, a PPP connection beside the IP one, no namespace prefix games.</summary>
    public const string DslRouterDescription =
        """
        <?xml version="1.0"?>
        <root xmlns="urn:schemas-upnp-org:device-1-0">
          <specVersion><major>1</major><minor>0</minor></specVersion>
          <URLBase>http://10.0.0.138:49000</URLBase>
          <device>
            <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
            <friendlyName>DSL Router</friendlyName>
            <deviceList>
              <device>
                <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
                <deviceList>
                  <device>
                    <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
                    <serviceList>
                      <service>
                        <serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType>
                        <serviceId>urn:upnp-org:serviceId:WANPPPConnection1</serviceId>
                        <controlURL>/upnp/control/WANPPPConn1</controlURL>
                      </service>
                      <service>
                        <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
                        <serviceId>urn:upnp-org:serviceId:WANIPConnection1</serviceId>
                        <controlURL>upnp/control/WANIPConn1</controlURL>
                      </service>
                    </serviceList>
                  </device>
                </deviceList>
              </device>
            </deviceList>
          </device>
        </root>
        """;
}
