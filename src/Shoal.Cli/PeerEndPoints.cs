using System.Globalization;
using System.Net;

namespace Shoal.Cli;

/// <summary>Reads HOST:PORT peer addresses: 127.0.0.1:6881, [::1]:6881, localhost:6881.</summary>
public static class PeerEndPoints
{
    public static IPEndPoint Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--peer '{text}' is not HOST:PORT");
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            IPAddress[] addresses = Dns.GetHostAddresses(host);
            return addresses.Length > 0
                ? new IPEndPoint(addresses[0], port)
                : throw new UsageException($"--peer '{text}': the host name has no address");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"--peer '{text}': {e.Message}");
        }
    }
}
