using System.Net;
using System.Net.Sockets;

namespace Shoal.Primitives;

/// <summary>
/// IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>), which a dual-mode socket reports for IPv4
/// peers, seen as the IPv4 addresses they are, so one peer has one address whichever socket met it.
/// </summary>
public static class IPv4Mapping
{
    public static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    /// <summary>
    /// The address's 16 bytes as IPv6, an IPv4 address as <c>::ffff:a.b.c.d</c>, written without making the mapped
    /// address (trackers do this for every announce).
    /// </summary>
    public static void WriteMapped(IPAddress address, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[..10].Clear();
            destination[10] = 0xff;
            destination[11] = 0xff;
            address.TryWriteBytes(destination[12..16], out _);
        }
        else
        {
            address.TryWriteBytes(destination[..16], out _);
        }
    }

    /// <summary>The family of the address once unmapped, without making the unmapped address.</summary>
    public static AddressFamily FamilyOf(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : address.AddressFamily;
}
