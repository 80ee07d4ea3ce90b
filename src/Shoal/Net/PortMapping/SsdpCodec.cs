using System.Globalization;
using System.Net;
using System.Text;

namespace Shoal.Net.PortMapping;

/// <summary>
/// SSDP over HTTPU (UPnP Device Architecture 1.1, section 1.3): writes the M-SEARCH that looks for an
/// Internet Gateway Device and reads the unicast answers. Reading is lenient in form (header case, spaces,
/// bare LF line ends) but strict in bounds, and fails only with <see cref="PortMappingException"/>.
/// </summary>
public static class SsdpCodec
{
    /// <summary>The SSDP multicast group and port (UDA 1.1, 1.3.2).</summary>
    public static readonly IPEndPoint MulticastEndPoint = new(IPAddress.Parse("239.255.255.250"), 1900);

    /// <summary>The device types searched for: IGD:2 devices answer a search for :1 too, but some answer only for their own type.</summary>
    public static readonly IReadOnlyList<string> GatewayDeviceTypes =
    [
        "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
    ];

    /// <summary>The longest answer read: UDA 1.1 asks devices to keep SSDP messages within one unfragmented datagram.</summary>
    public const int MaxResponseSize = 2048;

    /// <summary>The longest LOCATION accepted (UDA 1.1 sets none; real ones are under 100 characters).</summary>
    public const int MaxLocationLength = 512;

    /// <summary>An M-SEARCH for <paramref name="searchTarget"/>, devices answering within <paramref name="maxWaitSeconds"/> (MX, 1 to 5).</summary>
    public static byte[] EncodeSearch(string searchTarget, int maxWaitSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(searchTarget);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWaitSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWaitSeconds, 5);
        string text = "M-SEARCH * HTTP/1.1\r\n"
            + "HOST: 239.255.255.250:1900\r\n"
            + "MAN: \"ssdp:discover\"\r\n"
            + $"MX: {maxWaitSeconds.ToString(CultureInfo.InvariantCulture)}\r\n"
            + $"ST: {searchTarget}\r\n"
            + "\r\n";
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>
    /// Reads a search answer: <c>HTTP/1.1 200 OK</c> with LOCATION, ST and USN (SERVER may be missing, as some
    /// routers leave it out). LOCATION must be an absolute http URL.
    /// </summary>
    public static SsdpResponse DecodeResponse(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxResponseSize)
        {
            throw new PortMappingException($"an SSDP answer of {datagram.Length} bytes, more than {MaxResponseSize}");
        }

        string[] lines = Encoding.Latin1.GetString(datagram).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string[] status = lines[0].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1] != "200")
        {
            throw new PortMappingException($"not an SSDP search answer: '{Printable(lines[0])}'");
        }

        string? location = null, searchTarget = null, usn = null, server = null;
        foreach (string line in lines.AsSpan(1))
        {
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new PortMappingException($"an SSDP answer with a malformed header line '{Printable(line)}'");
            }

            string value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim().ToUpperInvariant())
            {
                case "LOCATION":
                    location = value;
                    break;
                case "ST":
                    searchTarget = value;
                    break;
                case "USN":
                    usn = value;
                    break;
                case "SERVER":
                    server = value;
                    break;
            }
        }

        return new SsdpResponse(
            ParseLocation(location ?? throw new PortMappingException("an SSDP answer without LOCATION")),
            searchTarget ?? throw new PortMappingException("an SSDP answer without ST"),
            usn ?? throw new PortMappingException("an SSDP answer without USN"),
            server ?? "");
    }

    private static Uri ParseLocation(string location)
    {
        if (location.Length > MaxLocationLength)
        {
            throw new PortMappingException($"an SSDP LOCATION of {location.Length} characters, more than {MaxLocationLength}");
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new PortMappingException($"an SSDP LOCATION that is not an http URL: '{Printable(location)}'");
        }

        return uri;
    }

    private static string Printable(string text)
    {
        string cut = text.Length > 80 ? text[..80] + "…" : text;
        return string.Concat(cut.Select(c => c is >= ' ' and <= '~' ? c : '?'));
    }
}
