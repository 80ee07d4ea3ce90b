using System.Buffers.Binary;
using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// NAT-PMP messages (RFC 6886), sans I/O: requests as bytes, responses read from bytes. Every field is big-endian
/// (network order, RFC 6886 3).
/// </summary>
public static class NatPmpCodec
{
    /// <summary>RFC 6886 3: the only version; PCP (RFC 6887) is version 2 on the same port.</summary>
    public const byte Version = 0;

    /// <summary>RFC 6886 3.2: a response's opcode is the request's plus 128.</summary>
    public const byte ResponseBit = 128;

    public const byte ExternalAddressOpcode = 0;

    /// <summary>RFC 6886 3.5: a response whose result is not success may stop after the epoch.</summary>
    public const int ErrorResponseLength = 8;

    private const int AddressResponseLength = 12;
    private const int MapRequestLength = 12;
    private const int MapResponseLength = 16;

    /// <summary>RFC 6886 3.3: opcode 1 maps UDP, 2 maps TCP.</summary>
    public static byte MapOpcode(MappingProtocol protocol) => protocol == MappingProtocol.Udp ? (byte)1 : (byte)2;

    /// <summary>RFC 6886 3.2: version 0, opcode 0; nothing else.</summary>
    public static byte[] ExternalAddressRequest() => [Version, ExternalAddressOpcode];

    /// <summary>
    /// RFC 6886 3.3: version, opcode, 16 reserved bits, internal port, suggested external port, requested lifetime in
    /// seconds. A lifetime of 0 with external port 0 deletes the mapping (RFC 6886 3.4).
    /// </summary>
    public static byte[] MapRequest(MappingProtocol protocol, int internalPort, int externalPort, uint lifetimeSeconds)
    {
        var request = new byte[MapRequestLength];
        request[0] = Version;
        request[1] = MapOpcode(protocol);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), checked((ushort)internalPort));
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), checked((ushort)externalPort));
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(8), lifetimeSeconds);
        return request;
    }

    /// <summary>
    /// RFC 6886 3.2: version, opcode 128, result code, seconds since the epoch, external IPv4 address. Null when the
    /// packet is not an answer to that request (a stray datagram is ignored, not failed on).
    /// </summary>
    public static NatPmpAddressResponse? ReadExternalAddressResponse(ReadOnlySpan<byte> packet)
    {
        if (!IsResponse(packet, ExternalAddressOpcode, out NatPmpResult result, out uint epoch))
        {
            return null;
        }

        if (result != NatPmpResult.Success)
        {
            return new NatPmpAddressResponse(result, epoch, IPAddress.Any);
        }

        return packet.Length < AddressResponseLength ? null : new NatPmpAddressResponse(result, epoch, new IPAddress(packet.Slice(8, 4)));
    }

    /// <summary>
    /// RFC 6886 3.3: version, opcode 128 + request's, result code, seconds since the epoch, internal port, mapped
    /// external port, lifetime in seconds. Null when the packet is not an answer for <paramref name="internalPort"/>.
    /// </summary>
    public static NatPmpMapResponse? ReadMapResponse(ReadOnlySpan<byte> packet, MappingProtocol protocol, int internalPort)
    {
        if (!IsResponse(packet, MapOpcode(protocol), out NatPmpResult result, out uint epoch))
        {
            return null;
        }

        if (result != NatPmpResult.Success)
        {
            return new NatPmpMapResponse(result, epoch, internalPort, 0, 0);
        }

        if (packet.Length < MapResponseLength || BinaryPrimitives.ReadUInt16BigEndian(packet[8..]) != internalPort)
        {
            return null;
        }

        return new NatPmpMapResponse(
            result,
            epoch,
            internalPort,
            BinaryPrimitives.ReadUInt16BigEndian(packet[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[12..]));
    }

    /// <summary>What a result code means, for a person (RFC 6886 3.5).</summary>
    public static string Meaning(NatPmpResult result) => result switch
    {
        NatPmpResult.Success => "success",
        NatPmpResult.UnsupportedVersion => "the gateway does not speak this version of NAT-PMP",
        NatPmpResult.NotAuthorized => "the gateway refuses to map ports (port mapping may be turned off in its settings)",
        NatPmpResult.NetworkFailure => "the gateway has no working connection to the internet, or no public address of its own",
        NatPmpResult.OutOfResources => "the gateway has no ports left to map",
        NatPmpResult.UnsupportedOpcode => "the gateway does not support this request",
        _ => $"the gateway answered result code {(int)result}",
    };

    private static bool IsResponse(ReadOnlySpan<byte> packet, byte requestOpcode, out NatPmpResult result, out uint epoch)
    {
        result = default;
        epoch = 0;
        if (packet.Length < ErrorResponseLength || packet[0] != Version || packet[1] != ResponseBit + requestOpcode)
        {
            return false;
        }

        result = (NatPmpResult)BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        epoch = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        return true;
    }
}
