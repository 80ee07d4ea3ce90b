using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Compact endpoint lists: 4-byte address and 2-byte port (BEP 23 <c>peers</c>, BEP 15 IPv4), or
/// 16-byte address and 2-byte port (BEP 7 <c>peers6</c>, BEP 15 IPv6), all in network byte order.
/// </summary>
public static class CompactPeers
{
    public const int IPv4Stride = 6;
    public const int IPv6Stride = 18;

    public static int Stride(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => IPv4Stride,
        AddressFamily.InterNetworkV6 => IPv6Stride,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4 and IPv6 peers have a compact form"),
    };

    public static int Count(IReadOnlyList<IPEndPoint> peers, AddressFamily family)
    {
        int count = 0;
        foreach (IPEndPoint peer in peers)
        {
            if (IPv4Mapping.FamilyOf(peer.Address) == family)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Writes the peers of one family; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, IReadOnlyList<IPEndPoint> peers, AddressFamily family)
    {
        int stride = Stride(family);
        int offset = 0;
        foreach (IPEndPoint peer in peers)
        {
            IPAddress address = IPv4Mapping.Unmap(peer.Address);
            if (address.AddressFamily != family)
            {
                continue;
            }

            address.TryWriteBytes(destination[offset..], out int written);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + written)..], (ushort)peer.Port);
            offset += stride;
        }

        return offset;
    }

    public static byte[] Encode(IReadOnlyList<IPEndPoint> peers, AddressFamily family)
    {
        var bytes = new byte[Count(peers, family) * Stride(family)];
        Write(bytes, peers, family);
        return bytes;
    }

    /// <summary>Reads a whole compact list; a length that is not a multiple of the stride is an error.</summary>
    public static void Read(ReadOnlySpan<byte> source, AddressFamily family, List<IPEndPoint> peers, string what)
    {
        int stride = Stride(family);
        if (source.Length % stride != 0)
        {
            throw new TrackerProtocolException($"{what} is {source.Length} bytes, not a multiple of {stride}");
        }

        for (int offset = 0; offset < source.Length; offset += stride)
        {
            var address = new IPAddress(source.Slice(offset, stride - 2));
            peers.Add(new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(source[(offset + stride - 2)..])));
        }
    }
}
