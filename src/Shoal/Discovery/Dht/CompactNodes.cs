using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>Compact node info: a 20-byte id then a compact endpoint, 26 bytes (BEP 5) or 38 bytes (BEP 32).</summary>
internal static class CompactNodes
{
    public static int Stride(NodeFamilies family) =>
        NodeId.Size + (family == NodeFamilies.IPv4 ? CompactEndPoint.IPv4Size : CompactEndPoint.IPv6Size);

    public static NodeFamilies FamilyOf(NodeInfo node) =>
        IPv4Mapping.FamilyOf(node.EndPoint.Address) == AddressFamily.InterNetwork ? NodeFamilies.IPv4 : NodeFamilies.IPv6;

    public static byte[] Encode(IEnumerable<NodeInfo> nodes, NodeFamilies family)
    {
        NodeInfo[] matching = [.. nodes.Where(n => FamilyOf(n) == family)];
        int stride = Stride(family);
        var bytes = new byte[matching.Length * stride];
        for (int i = 0; i < matching.Length; i++)
        {
            Span<byte> slot = bytes.AsSpan(i * stride, stride);
            matching[i].Id.WriteTo(slot);
            CompactEndPoint.Write(slot[NodeId.Size..], matching[i].EndPoint);
        }

        return bytes;
    }

    public static void Decode(ReadOnlySpan<byte> source, NodeFamilies family, List<NodeInfo> nodes)
    {
        int stride = Stride(family);
        if (source.Length % stride != 0)
        {
            throw new KrpcException($"compact node info of {source.Length} bytes is not a multiple of {stride}");
        }

        for (int offset = 0; offset < source.Length; offset += stride)
        {
            ReadOnlySpan<byte> slot = source.Slice(offset, stride);
            nodes.Add(new NodeInfo(NodeId.Read(slot[..NodeId.Size]), CompactEndPoint.Read(slot[NodeId.Size..])));
        }
    }
}
