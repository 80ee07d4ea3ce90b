using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Primitives;

/// <summary>
/// The compact forms of peers and DHT nodes, in network byte order. A peer is its address then a
/// 2-byte port: 6 bytes for IPv4 (BEP 23 <c>peers</c>, BEP 15, BEP 11 <c>added</c>, BEP 5
/// <c>values</c>), 18 for IPv6 (BEP 7 <c>peers6</c>, BEP 15 over IPv6, BEP 11 <c>added6</c>). A node is
/// its 20-byte id then its peer form: 26 bytes in BEP 5 <c>nodes</c>, 38 in BEP 32 <c>nodes6</c>. A list
/// is its entries of one family back to back; an IPv4-mapped address is written as IPv4.
/// </summary>
public static class CompactInfo
{
    public const int IPv4PeerLength = 6;
    public const int IPv6PeerLength = 18;

    public static int PeerLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => IPv4PeerLength,
        AddressFamily.InterNetworkV6 => IPv6PeerLength,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only IPv4 and IPv6 peers have a compact form"),
    };

    public static int NodeLength(AddressFamily family) => UInt160.Size + PeerLength(family);

    /// <summary>Writes one peer; returns its length.</summary>
    public static int WritePeer(Span<byte> destination, IPEndPoint peer)
    {
        Span<byte> address = stackalloc byte[16];
        peer.Address.TryWriteBytes(address, out int written);
        return WritePeer(destination, peer.Address.IsIPv4MappedToIPv6 ? address[12..] : address[..written], (ushort)peer.Port);
    }

    /// <summary>Writes one peer from its 4 or 16 address bytes; returns its length.</summary>
    public static int WritePeer(Span<byte> destination, ReadOnlySpan<byte> address, ushort port)
    {
        address.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[address.Length..], port);
        return address.Length + 2;
    }

    /// <summary>Reads one peer; false when <paramref name="source"/> is neither 6 nor 18 bytes.</summary>
    public static bool TryReadPeer(ReadOnlySpan<byte> source, [NotNullWhen(true)] out IPEndPoint? peer)
    {
        peer = source.Length is IPv4PeerLength or IPv6PeerLength ? ReadPeer(source) : null;
        return peer is not null;
    }

    public static int CountPeers(IReadOnlyList<IPEndPoint> peers, AddressFamily family)
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

    /// <summary>Writes the peers of one family, leaving out the others; returns the bytes written.</summary>
    public static int WritePeers(Span<byte> destination, IReadOnlyList<IPEndPoint> peers, AddressFamily family)
    {
        int offset = 0;
        foreach (IPEndPoint peer in peers)
        {
            if (IPv4Mapping.FamilyOf(peer.Address) == family)
            {
                offset += WritePeer(destination[offset..], peer);
            }
        }

        return offset;
    }

    public static byte[] EncodePeers(IReadOnlyList<IPEndPoint> peers, AddressFamily family)
    {
        var bytes = new byte[CountPeers(peers, family) * PeerLength(family)];
        WritePeers(bytes, peers, family);
        return bytes;
    }

    /// <summary>
    /// Reads the first <paramref name="maxPeers"/> peers of a list of one family, so a hostile long list
    /// costs no more than that; false, reading nothing, when the list is not a whole number of peers.
    /// </summary>
    public static bool TryReadPeers(ReadOnlySpan<byte> source, AddressFamily family, List<IPEndPoint> peers, int maxPeers = int.MaxValue)
    {
        int stride = PeerLength(family);
        if (source.Length % stride != 0)
        {
            return false;
        }

        int count = Math.Min(source.Length / stride, maxPeers);
        for (int i = 0; i < count; i++)
        {
            peers.Add(ReadPeer(source.Slice(i * stride, stride)));
        }

        return true;
    }

    /// <summary>Encodes the nodes of one family, leaving out the others.</summary>
    public static byte[] EncodeNodes(IReadOnlyList<CompactNode> nodes, AddressFamily family)
    {
        CompactNode[] matching = [.. nodes.Where(n => IPv4Mapping.FamilyOf(n.EndPoint.Address) == family)];
        int stride = NodeLength(family);
        var bytes = new byte[matching.Length * stride];
        for (int i = 0; i < matching.Length; i++)
        {
            Span<byte> entry = bytes.AsSpan(i * stride, stride);
            matching[i].Id.WriteTo(entry);
            WritePeer(entry[UInt160.Size..], matching[i].EndPoint);
        }

        return bytes;
    }

    /// <summary>Reads a list of nodes of one family; false, reading nothing, when it is not a whole number of nodes.</summary>
    public static bool TryReadNodes(ReadOnlySpan<byte> source, AddressFamily family, List<CompactNode> nodes)
    {
        int stride = NodeLength(family);
        if (source.Length % stride != 0)
        {
            return false;
        }

        for (int offset = 0; offset < source.Length; offset += stride)
        {
            ReadOnlySpan<byte> entry = source.Slice(offset, stride);
            nodes.Add(new CompactNode(UInt160.Read(entry[..UInt160.Size]), ReadPeer(entry[UInt160.Size..])));
        }

        return true;
    }

    private static IPEndPoint ReadPeer(ReadOnlySpan<byte> entry) =>
        new(new IPAddress(entry[..^2]), BinaryPrimitives.ReadUInt16BigEndian(entry[^2..]));
}
