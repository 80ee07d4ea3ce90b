using System.Net;
using System.Net.Sockets;

namespace Shoal.Primitives;

/// <summary>Which addresses belong to a local network rather than the internet: the one test PEX, BEP 42 and the external address votes share.</summary>
public static class AddressScope
{
    /// <summary>
    /// Loopback, "this network" (0/8), private (RFC 1918), shared (RFC 6598, carrier-grade NAT), link-local, and the IPv6
    /// kinds of the same (loopback, link-local, site-local, unique local fc00::/7): reachable, if at all, only from near by.
    /// </summary>
    public static bool IsLocal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = IPv4Mapping.Unmap(address);
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] is 0 or 10
            || (b[0] == 100 && (b[1] & 0xC0) == 64)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168);
    }
}
