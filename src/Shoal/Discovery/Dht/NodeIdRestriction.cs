using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>
/// BEP 42's node id restriction: the first 21 bits of a node's id come from a CRC32C of its masked external address and
/// a random r in [0, 7], which the id's last byte carries. Nodes on local addresses are exempt.
/// </summary>
public static class NodeIdRestriction
{
    // BEP 42: mask each octet so that one /8 gives few prefixes, then OR r into the top three bits.
    private static readonly byte[] V4Mask = [0x03, 0x0f, 0x3f, 0xff];
    private static readonly byte[] V6Mask = [0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff];

    /// <summary>A random id that conforms to <paramref name="external"/> (a random one when the address is exempt).</summary>
    public static NodeId Generate(IPAddress external, Random random)
    {
        ArgumentNullException.ThrowIfNull(external);
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> id = stackalloc byte[NodeId.Size];
        random.NextBytes(id);
        if (AddressScope.IsLocal(external))
        {
            return NodeId.Read(id);
        }

        uint crc = Prefix(external, id[^1]);
        id[0] = (byte)(crc >> 24);
        id[1] = (byte)(crc >> 16);
        id[2] = (byte)((crc >> 8) & 0xf8 | (id[2] & 0x07u));
        return NodeId.Read(id);
    }

    /// <summary>Whether <paramref name="id"/> may belong to a node at <paramref name="address"/>: its first 21 bits match, or the address is exempt.</summary>
    public static bool Conforms(NodeId id, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (AddressScope.IsLocal(address))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[NodeId.Size];
        id.WriteTo(bytes);
        uint crc = Prefix(address, bytes[^1]);
        return bytes[0] == (byte)(crc >> 24) && bytes[1] == (byte)(crc >> 16) && (bytes[2] & 0xf8) == ((crc >> 8) & 0xf8);
    }

    /// <summary>crc32c of the masked address (four octets of IPv4, the first eight of IPv6) with r = <paramref name="rand"/> &amp; 7.</summary>
    private static uint Prefix(IPAddress address, byte rand)
    {
        address = IPv4Mapping.Unmap(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        byte[] mask = written == 4 ? V4Mask : V6Mask;
        uint crc = uint.MaxValue;
        for (int i = 0; i < mask.Length; i++)
        {
            byte octet = (byte)(bytes[i] & mask[i]);
            if (i == 0)
            {
                octet |= (byte)((rand & 0x07) << 5);
            }

            crc = BitOperations.Crc32C(crc, octet);
        }

        return ~crc;
    }
}
