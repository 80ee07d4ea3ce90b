using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Shoal.Net.PortMapping;

/// <summary>The machine's default IPv4 gateway, and our address on the interface towards it.</summary>
public static class GatewayFinder
{
    private const string RouteTable = "/proc/net/route";
    private const int RtfUp = 0x1;
    private const int RtfGateway = 0x2;

    /// <summary>
    /// The default route's gateway (Linux's <c>/proc/net/route</c>, else the interfaces' gateway addresses) and the
    /// address the kernel would send to it from; null when there is no default IPv4 gateway.
    /// </summary>
    public static Gateway? FindDefault()
    {
        IPAddress? router;
        try
        {
            router = File.Exists(RouteTable) ? DefaultRoute(File.ReadAllText(RouteTable)) : FromInterfaces();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetworkInformationException)
        {
            return null;
        }

        return router is null || LocalAddressTowards(router) is not { } local ? null : new Gateway(router, local);
    }

    /// <summary>
    /// The gateway of the default route with the lowest metric in a <c>/proc/net/route</c> table: destination and mask
    /// 0, flags up and gateway. Its addresses are hexadecimal in the kernel's (little-endian) byte order.
    /// </summary>
    public static IPAddress? DefaultRoute(string table)
    {
        IPAddress? best = null;
        int bestMetric = int.MaxValue;
        foreach (string line in table.Split('\n').Skip(1))
        {
            string[] fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 8
                || !uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint destination)
                || !uint.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint gateway)
                || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
                || !int.TryParse(fields[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out int metric)
                || !uint.TryParse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask))
            {
                continue;
            }

            if (destination == 0 && mask == 0 && gateway != 0 && (flags & (RtfUp | RtfGateway)) == (RtfUp | RtfGateway) && metric < bestMetric)
            {
                // IPAddress(long) reads the first octet from the lowest byte, as the kernel wrote it.
                best = new IPAddress(gateway);
                bestMetric = metric;
            }
        }

        return best;
    }

    private static IPAddress? FromInterfaces() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up)
        .SelectMany(n => n.GetIPProperties().GatewayAddresses)
        .Select(g => g.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));

    /// <summary>Connecting a UDP socket sends nothing: it asks the kernel's routing for the source address.</summary>
    private static IPAddress? LocalAddressTowards(IPAddress router)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(router, Gateway.PcpPort);
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
