using System.Buffers.Binary;
using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// PCP's MAP opcode (RFC 6887 11), sans I/O. Addresses travel as 128 bits, an IPv4 one IPv4-mapped
/// (<c>::ffff:a.b.c.d</c>, RFC 6887 5); every field is big-endian.
/// </summary>
public static class PcpCodec
{
    /// <summary>RFC 6887 9: PCP is version 2 (version 1 was never deployed; NAT-PMP is version 0).</summary>
    public const byte Version = 2;

    /// <summary>RFC 6887 11.1.</summary>
    public const byte MapOpcode = 1;

    /// <summary>RFC 6887 11.1: the mapping nonce is 96 bits.</summary>
    public const int NonceLength = 12;

    private const byte ResponseBit = 0x80;
    private const int HeaderLength = 24;
    private const int MapLength = HeaderLength + 36;

    // RFC 6887 11.1 (IANA protocol numbers).
    private const byte Tcp = 6;
    private const byte Udp = 17;

    /// <summary>
    /// RFC 6887 7.1 and 11.1: a request header (version, R = 0 and opcode, 16 reserved bits, requested lifetime, the
    /// client's address) and the MAP payload (nonce, protocol, 24 reserved bits, internal port, suggested external
    /// port, suggested external address: the IPv4 all-zeros address, "no preference"). Lifetime 0 deletes (RFC 6887 15).
    /// </summary>
    public static byte[] MapRequest(ReadOnlySpan<byte> nonce, MappingProtocol protocol, int internalPort, int suggestedExternalPort, uint lifetimeSeconds, IPAddress clientAddress)
    {
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"a PCP nonce is {NonceLength} bytes", nameof(nonce));
        }

        var request = new byte[MapLength];
        Span<byte> span = request;
        span[0] = Version;
        span[1] = MapOpcode;
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], lifetimeSeconds);
        WriteAddress(span.Slice(8, 16), clientAddress);
        nonce.CopyTo(span[24..]);
        span[36] = protocol == MappingProtocol.Tcp ? Tcp : Udp;
        BinaryPrimitives.WriteUInt16BigEndian(span[40..], checked((ushort)internalPort));
        BinaryPrimitives.WriteUInt16BigEndian(span[42..], checked((ushort)suggestedExternalPort));
        WriteAddress(span.Slice(44, 16), IPAddress.Any);
        return request;
    }

    /// <summary>
    /// A response to our MAP request: RFC 6887 7.2's header (version, R = 1 and opcode, reserved, result code,
    /// lifetime, epoch, 96 reserved bits) and 11.1's payload (nonce, protocol, internal port, assigned external port and
    /// address). A NAT-PMP gateway answers version 0 (RFC 6887 9), and a PCP server of another version says
    /// UNSUPP_VERSION: both come back as <see cref="PcpResult.UnsupportedVersion"/>. Null for a packet that is not the
    /// answer (another nonce, protocol or port; too short), which is ignored.
    /// </summary>
    public static PcpMapResponse? ReadMapResponse(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> nonce, MappingProtocol protocol, int internalPort)
    {
        if (packet.Length >= NatPmpCodec.ErrorResponseLength && packet[0] == NatPmpCodec.Version && packet[1] == NatPmpCodec.ResponseBit + MapOpcode)
        {
            return PcpMapResponse.Unsupported(NatPmpCodec.Version);
        }

        if (packet.Length < 4 || (packet[1] & ResponseBit) == 0)
        {
            return null;
        }

        if (packet[0] != Version)
        {
            return (PcpResult)packet[3] == PcpResult.UnsupportedVersion ? PcpMapResponse.Unsupported(packet[0]) : null;
        }

        if (packet.Length < HeaderLength || (packet[1] & ~ResponseBit) != MapOpcode)
        {
            return null;
        }

        var result = (PcpResult)packet[3];
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint epoch = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        if (packet.Length < MapLength)
        {
            // RFC 6887 7.2: an error may come without the payload, when the request could not be parsed.
            return result == PcpResult.Success ? null : new PcpMapResponse(Version, result, lifetime, epoch, 0, IPAddress.Any);
        }

        if (!packet.Slice(24, NonceLength).SequenceEqual(nonce)
            || packet[36] != (protocol == MappingProtocol.Tcp ? Tcp : Udp)
            || BinaryPrimitives.ReadUInt16BigEndian(packet[40..]) != internalPort)
        {
            return null;
        }

        var external = new IPAddress(packet.Slice(44, 16));
        return new PcpMapResponse(Version, result, lifetime, epoch, BinaryPrimitives.ReadUInt16BigEndian(packet[42..]), external.IsIPv4MappedToIPv6 ? external.MapToIPv4() : external);
    }

    /// <summary>What a result code means, for a person (RFC 6887 7.4).</summary>
    public static string Meaning(PcpResult result) => result switch
    {
        PcpResult.Success => "success",
        PcpResult.UnsupportedVersion => "the gateway does not speak PCP version 2",
        PcpResult.NotAuthorized => "the gateway refuses to map ports (port mapping may be turned off in its settings)",
        PcpResult.MalformedRequest => "the gateway could not read the request",
        PcpResult.UnsupportedOpcode => "the gateway does not support MAP requests",
        PcpResult.UnsupportedOption => "the gateway does not support an option of the request",
        PcpResult.MalformedOption => "the gateway could not read an option of the request",
        PcpResult.NetworkFailure => "the gateway has no working connection to the internet, or no public address of its own",
        PcpResult.NoResources => "the gateway has no ports left to map",
        PcpResult.UnsupportedProtocol => "the gateway does not map this protocol",
        PcpResult.UserExceededQuota => "the gateway maps no more ports for this computer",
        PcpResult.CannotProvideExternal => "the gateway cannot give the external port asked for",
        PcpResult.AddressMismatch => "the gateway sees this computer at another address (another NAT in between?)",
        PcpResult.ExcessiveRemotePeers => "the gateway refuses: too many remote peers",
        _ => $"the gateway answered result code {(int)result}",
    };

    // RFC 6887 5: IPv4 as ::ffff:a.b.c.d, so 0.0.0.0 (any) is ::ffff:0.0.0.0.
    private static void WriteAddress(Span<byte> destination, IPAddress address)
    {
        IPAddress v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address;
        v6.TryWriteBytes(destination, out _);
    }
}
