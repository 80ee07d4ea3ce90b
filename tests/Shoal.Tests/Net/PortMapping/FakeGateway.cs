using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>What a <see cref="FakeGateway"/> answers.</summary>
internal enum GatewaySpeaks
{
    /// <summary>NAT-PMP; a PCP request gets NAT-PMP's Unsupported Version, as RFC 6887 9 says such a gateway answers.</summary>
    NatPmp,

    /// <summary>PCP's MAP, and NAT-PMP too (as miniupnpd does).</summary>
    Pcp,

    /// <summary>Nothing: every request is read and none answered.</summary>
    Nothing,
}

/// <summary>
/// A router's NAT-PMP / PCP server on 127.0.0.1, its answers written by hand from RFC 6886 and RFC 6887 (not with the
/// codecs under test). It grants <c>external port = internal port + PortOffset</c> for <c>Lifetime</c> seconds, or answers
/// <c>Result</c> when set; it keeps every request and the mappings it holds.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private const uint Epoch = 1000;
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly GatewaySpeaks _speaks;
    private readonly Lock _lock = new();
    private readonly List<byte[]> _requests = [];
    private readonly HashSet<(int Opcode, int InternalPort)> _mappings = [];
    private readonly Task _serving;

    public FakeGateway(GatewaySpeaks speaks)
    {
        _speaks = speaks;
        _serving = ServeAsync();
    }

    public static IPAddress ExternalAddress { get; } = IPAddress.Parse("203.0.113.7");

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int PortOffset { get; init; }

    public uint Lifetime { get; init; } = 7200;

    /// <summary>A result code to answer every map request with instead of granting it.</summary>
    public byte? Result { get; init; }

    public IReadOnlyList<byte[]> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The mappings held: (NAT-PMP opcode 1 UDP / 2 TCP, or PCP protocol 17 / 6; internal port).</summary>
    public IReadOnlyCollection<(int Opcode, int InternalPort)> Mappings
    {
        get
        {
            lock (_lock)
            {
                return [.. _mappings];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _udp.Dispose();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            UdpReceiveResult received = await _udp.ReceiveAsync();
            byte[] request = received.Buffer;
            lock (_lock)
            {
                _requests.Add(request);
            }

            byte[]? answer = _speaks switch
            {
                GatewaySpeaks.Nothing => null,
                _ when request[0] == 0 => NatPmp(request),
                GatewaySpeaks.Pcp when request[0] == 2 => Pcp(request),
                _ => [0, (byte)(128 + request[1]), 0, 1, .. BigEndian(Epoch)],
            };
            if (answer is not null)
            {
                await _udp.SendAsync(answer, received.RemoteEndPoint);
            }
        }
    }

    // RFC 6886 3.2 and 3.3.
    private byte[] NatPmp(byte[] request)
    {
        byte opcode = request[1];
        if (opcode == 0)
        {
            return [0, 128, 0, 0, .. BigEndian(Epoch), .. ExternalAddress.GetAddressBytes()];
        }

        if (Result is { } result)
        {
            return [0, (byte)(128 + opcode), 0, result, .. BigEndian(Epoch)];
        }

        int internalPort = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(4));
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(8));
        int external = Hold(opcode, internalPort, lifetime);
        return [0, (byte)(128 + opcode), 0, 0, .. BigEndian(Epoch), request[4], request[5], (byte)(external >> 8), (byte)external, .. BigEndian(lifetime == 0 ? 0 : Lifetime)];
    }

    // RFC 6887 7.2 and 11.1: the header, then the request's nonce, protocol and internal port, the assigned port and address.
    private byte[] Pcp(byte[] request)
    {
        int internalPort = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(40));
        uint lifetime = BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(4));
        byte result = Result ?? 0;
        int external = result == 0 ? Hold(request[36], internalPort, lifetime) : 0;
        return
        [
            2, 0x81, 0, result, .. BigEndian(result == 0 && lifetime != 0 ? Lifetime : 0), .. BigEndian(Epoch), .. new byte[12],
            .. request.AsSpan(24, 12), request[36], 0, 0, 0, request[40], request[41], (byte)(external >> 8), (byte)external,
            .. ExternalAddress.MapToIPv6().GetAddressBytes(),
        ];
    }

    private int Hold(int opcode, int internalPort, uint lifetime)
    {
        lock (_lock)
        {
            if (lifetime == 0)
            {
                _mappings.Remove((opcode, internalPort));
                return 0;
            }

            _mappings.Add((opcode, internalPort));
            return internalPort + PortOffset;
        }
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
