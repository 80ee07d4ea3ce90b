using System.Globalization;
using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Turns "HOST:PORT" bootstrap addresses (e.g. router.bittorrent.com:6881, [::1]:6881) into endpoints.</summary>
public static class DhtEndPoints
{
    /// <summary>Every address each host resolves to; a host that does not resolve contributes nothing.</summary>
    public static async Task<List<IPEndPoint>> ResolveAsync(IEnumerable<string> hostPorts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hostPorts);
        var endPoints = new List<IPEndPoint>();
        foreach (string hostPort in hostPorts)
        {
            (string host, int port) = Split(hostPort);
            try
            {
                IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                endPoints.AddRange(addresses.Select(a => new IPEndPoint(a, port)));
            }
            catch (System.Net.Sockets.SocketException)
            {
                // An unknown bootstrap host is skipped: the others, or a saved table, may still get us in.
            }
        }

        return endPoints;
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
