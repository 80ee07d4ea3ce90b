using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>BEP 5 compact peer info: 4 or 16 address bytes and a 2-byte port, network byte order.</summary>
internal static class CompactEndPoint
{
    public const int IPv4Size = 6;
    public const int IPv6Size = 18;

    public static int SizeOf(IPEndPoint endPoint) => IPv4Mapping.FamilyOf(endPoint.Address) == AddressFamily.InterNetwork ? IPv4Size : IPv6Size;

    public static int Write(Span<byte> destination, IPEndPoint endPoint)
    {
        IPEndPoint normal = IPv4Mapping.Unmap(endPoint);
        normal.Address.TryWriteBytes(destination, out int written);
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], (ushort)normal.Port);
        return written + 2;
    }

    public static IPEndPoint Read(ReadOnlySpan<byte> source)
    {
        if (source.Length is not (IPv4Size or IPv6Size))
        {
            throw new KrpcException($"a compact endpoint is {IPv4Size} or {IPv6Size} bytes, not {source.Length}");
        }

        var address = new IPAddress(source[..^2]);
        return new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(source[^2..]));
    }
}
