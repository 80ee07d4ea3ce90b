using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Swarm;

/// <summary>
/// Which addresses a peer may hand us through PEX (BEP 11), which has no rule of its own: never port 0 or an
/// address no peer can have (unspecified, multicast, broadcast); a loopback, private or link-local address
/// only from a sender that is itself on such a network (libtorrent's rule), so a stranger cannot point our
/// dials at the hosts of our own network.
/// </summary>
internal static class PexAddressFilter
{
    public static bool Accepts(IPEndPoint offered, IPAddress sender)
    {
        IPAddress address = IPv4Mapping.Unmap(offered.Address);
        if (offered.Port == 0 || !IsPeerAddress(address))
        {
            return false;
        }

        return !AddressScope.IsLocal(address) || AddressScope.IsLocal(sender);
    }

    private static bool IsPeerAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !address.Equals(IPAddress.IPv6Any) && !address.IsIPv6Multicast;
        }

        byte first = address.GetAddressBytes()[0];
        return !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.Broadcast) && first is not (>= 224 and <= 239);
    }
}
