using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Tracker.Limits;

/// <summary>
/// The unit a per-address limit counts: an IPv4 address, or an IPv6 /64, since one subscriber is
/// usually given a whole /64 and could otherwise use a fresh address per request.
/// </summary>
internal static class AddressBlock
{
    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        IPAddress unmapped = IPv4Mapping.Unmap(address);
        if (unmapped.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return unmapped;
        }

        Span<byte> bytes = stackalloc byte[16];
        unmapped.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
