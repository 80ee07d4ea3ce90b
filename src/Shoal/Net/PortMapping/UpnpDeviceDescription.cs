using System.Xml.Linq;
using static Shoal.Net.PortMapping.UpnpXml;

namespace Shoal.Net.PortMapping;

/// <summary>
/// Reads an Internet Gateway Device's description (UDA 1.1, section 2.3; IGD:1 and IGD:2) for the service that maps
/// ports: WANIPConnection:2, :1 or WANPPPConnection:1, nested as InternetGatewayDevice / WANDevice /
/// WANConnectionDevice. No DTD, no external entity, a bounded size.
/// </summary>
public static class UpnpDeviceDescription
{
    /// <summary>The services that have AddPortMapping, the most capable first.</summary>
    public static readonly IReadOnlyList<string> ConnectionServiceTypes =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    private const string GatewayDevice = "urn:schemas-upnp-org:device:InternetGatewayDevice:";
    private const string WanDevice = "urn:schemas-upnp-org:device:WANDevice:";
    private const string WanConnectionDevice = "urn:schemas-upnp-org:device:WANConnectionDevice:";

    /// <summary>
    /// The connection service in <paramref name="xml"/>, fetched from <paramref name="location"/>; its control URL is
    /// resolved against URLBase when there is one (UDA 1.0), else against <paramref name="location"/> (UDA 1.1).
    /// </summary>
    public static UpnpControlPoint Parse(ReadOnlySpan<byte> xml, Uri location, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(location);
        XElement root = Load(xml, maxBytes, $"{location}: a device description");
        XElement device = Child(root, "device")
            ?? throw new PortMappingException($"{location}: a device description without a device");
        var candidates = new List<(string Type, string ControlUrl)>();
        foreach (XElement gateway in DevicesOfType(device, GatewayDevice, nested: false))
        {
            foreach (XElement wan in DevicesOfType(gateway, WanDevice, nested: true))
            {
                foreach (XElement connection in DevicesOfType(wan, WanConnectionDevice, nested: true))
                {
                    foreach (XElement service in Children(Child(connection, "serviceList"), "service"))
                    {
                        string type = Text(service, "serviceType");
                        string control = Text(service, "controlURL");
                        if (control.Length > 0)
                        {
                            candidates.Add((type, control));
                        }
                    }
                }
            }
        }

        (string serviceType, string controlUrl) = ConnectionServiceTypes.SelectMany(t => candidates.Where(c => c.Type == t)).FirstOrDefault();
        if (serviceType is null)
        {
            throw new PortMappingException($"{location}: not an Internet Gateway Device with a WANIPConnection or WANPPPConnection service");
        }

        Uri baseUrl = Text(root, "URLBase") is { Length: > 0 } urlBase && Uri.TryCreate(urlBase, UriKind.Absolute, out Uri? parsed) ? parsed : location;
        if (!Uri.TryCreate(baseUrl, controlUrl, out Uri? resolved))
        {
            throw new PortMappingException($"{location}: a controlURL that is not a URL: '{controlUrl}'");
        }

        return new UpnpControlPoint(serviceType, resolved);
    }

    /// <summary>The device itself (unless <paramref name="nested"/>) or the devices in its deviceList whose type starts with <paramref name="typePrefix"/>.</summary>
    private static IEnumerable<XElement> DevicesOfType(XElement device, string typePrefix, bool nested)
    {
        IEnumerable<XElement> devices = nested ? Children(Child(device, "deviceList"), "device") : [device];
        return devices.Where(d => Text(d, "deviceType").StartsWith(typePrefix, StringComparison.Ordinal));
    }
}
