using System.Globalization;
using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Reads "HOST:PORT" bootstrap addresses (e.g. router.bittorrent.com:6881, [::1]:6881).</summary>
public static class DhtEndPoints
{
    /// <summary>"HOST:PORT" as an <see cref="IPEndPoint"/> when HOST is an address, else a <see cref="DnsEndPoint"/> to resolve.</summary>
    public static EndPoint Parse(string hostPort)
    {
        (string host, int port) = Split(hostPort);
        return IPAddress.TryParse(host, out IPAddress? address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Splits "HOST:PORT"; throws <see cref="FormatException"/> when the port is missing or invalid.</summary>
    public static (string Host, int Port) Split(string hostPort)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
        {
            throw new FormatException($"'{hostPort}' is not HOST:PORT");
        }

        return (hostPort[..colon].Trim('[', ']'), port);
    }
}
