using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Wire;

/// <summary>
/// A BEP 55 <c>ut_holepunch</c> message, binary after the BEP 10 header: <c>msg_type</c> (1 byte), <c>addr_type</c>
/// (1 byte: 0 IPv4, 1 IPv6), the address (4 or 16 bytes, big-endian), the port (2 bytes) and <c>err_code</c>
/// (4 bytes, big-endian, 0 but in errors). The length must be exactly 12 or 24 bytes.
/// </summary>
public readonly record struct HolepunchMessage(HolepunchMessageType Type, IPEndPoint EndPoint, HolepunchError Error = HolepunchError.None)
{
    public const string ExtensionName = "ut_holepunch";

    private const int V4Length = 1 + 1 + 4 + 2 + 4;
    private const int V6Length = 1 + 1 + 16 + 2 + 4;

    /// <summary>Reads a peer's message; a malformed one is a <see cref="PeerProtocolException"/>.</summary>
    public static HolepunchMessage Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            throw new PeerProtocolException($"ut_holepunch message of {payload.Length} bytes is too short");
        }

        if (payload[0] > (byte)HolepunchMessageType.Error)
        {
            throw new PeerProtocolException($"ut_holepunch message of unknown type {payload[0]}");
        }

        int addressLength = payload[1] switch
        {
            0 => 4,
            1 => 16,
            _ => throw new PeerProtocolException($"ut_holepunch message of unknown address type {payload[1]}"),
        };
        if (payload.Length != (addressLength == 4 ? V4Length : V6Length))
        {
            throw new PeerProtocolException($"ut_holepunch message of {payload.Length} bytes for a {addressLength}-byte address");
        }

        var address = new IPAddress(payload.Slice(2, addressLength));
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(payload[(2 + addressLength)..]);
        uint error = BinaryPrimitives.ReadUInt32BigEndian(payload[(4 + addressLength)..]);
        return new HolepunchMessage((HolepunchMessageType)payload[0], new IPEndPoint(address, port), (HolepunchError)error);
    }

    public byte[] Encode()
    {
        IPAddress address = IPv4Mapping.Unmap(EndPoint.Address);
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        byte[] message = new byte[v4 ? V4Length : V6Length];
        message[0] = (byte)Type;
        message[1] = v4 ? (byte)0 : (byte)1;
        int addressLength = v4 ? 4 : 16;
        address.TryWriteBytes(message.AsSpan(2, addressLength), out _);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2 + addressLength), (ushort)EndPoint.Port);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4 + addressLength), (uint)Error);
        return message;
    }
}
