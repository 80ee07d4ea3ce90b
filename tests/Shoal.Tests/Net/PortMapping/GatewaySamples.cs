namespace Shoal.Tests.Net.PortMapping;

/// <summary>What real gateways send, in the form miniupnpd 2.3 writes it.</summary>
internal static class GatewaySamples
{
    public const string MiniupnpdSearchAnswer =
        "HTTP/1.1 200 OK\r\n"
        + "CACHE-CONTROL: max-age=120\r\n"
        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "USN: uuid:fc4ec57e-b051-11db-88f8-0060085db3f6::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "EXT:\r\n"
        + "SERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
        + "LOCATION: http://192.168.1.1:46193/rootDesc.xml\r\n"
        + "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
        + "01-NLS: 1\r\n"
        + "BOOTID.UPNP.ORG: 1\r\n"
        + "CONFIGID.UPNP.ORG: 1337\r\n"
        + "\r\n";

    /// <summary>miniupnpd's rootDesc.xml (IGD:1): the connection service two devices down, relative URLs, no URLBase.</summary>
    public static string MiniupnpdDescription(string presentationHost = "192.168.1.1") =>
        "<?xml version=\"1.0\"?>\r\n"
        + "<root xmlns=\"urn:schemas-upnp-org:device-1-0\" configId=\"1337\"><specVersion><major>1</major><minor>1</minor></specVersion>"
        + "<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Debian router</friendlyName>"
        + "<manufacturer>Debian</manufacturer><manufacturerURL>https://www.debian.org/</manufacturerURL><modelDescription>Debian router</modelDescription>"
        + "<modelName>Debian router</modelName><modelNumber>2.3.1</modelNumber><modelURL>https://www.debian.org/</modelURL><serialNumber>00000000</serialNumber>"
        + "<UDN>uuid:fc4ec57e-b051-11db-88f8-0060085db3f6</UDN>"
        + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId>"
        + "<SCPDURL>/L3F.xml</SCPDURL><controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL></service></serviceList>"
        + "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><friendlyName>WANDevice</friendlyName>"
        + "<UDN>uuid:fc4ec57e-b051-11db-88f8-0060085db3f7</UDN>"
        + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
        + "<serviceId>urn:upnp-org:serviceId:WANCommonIFC1</serviceId><SCPDURL>/WANCfg.xml</SCPDURL><controlURL>/ctl/CmnIfCfg</controlURL>"
        + "<eventSubURL>/evt/CmnIfCfg</eventSubURL></service></serviceList>"
        + "<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><friendlyName>WANConnectionDevice</friendlyName>"
        + "<UDN>uuid:fc4ec57e-b051-11db-88f8-0060085db3f8</UDN>"
        + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>"
        + "<SCPDURL>/WANIPCn.xml</SCPDURL><controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL></service></serviceList>"
        + "</device></deviceList></device></deviceList>"
        + $"<presentationURL>http://{presentationHost}/</presentationURL></device></root>\r\n";

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
