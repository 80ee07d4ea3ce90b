using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Shoal.Tracker.Udp;

/// <summary>
/// BEP 15 connection ids without per-client state: the first 8 bytes of an HMAC-SHA256, under a
/// secret made at start, of the client's IP address and the current minute. An id is accepted in
/// the minute it was made and the next, so it lives one to two minutes; forging one means breaking
/// the HMAC. The source port is left out: some clients send each request from a new socket.
/// </summary>
internal sealed class ConnectionIds
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public ConnectionIds(TimeProvider time) => _time = time;

    public long Issue(IPAddress client) => Compute(client, CurrentWindow());

    public bool IsValid(long connectionId, IPAddress client)
    {
        long window = CurrentWindow();
        return connectionId == Compute(client, window) || connectionId == Compute(client, window - 1);
    }

    private long CurrentWindow() => _time.GetUtcNow().ToUnixTimeSeconds() / (long)Window.TotalSeconds;

    private long Compute(IPAddress client, long window)
    {
        Span<byte> message = stackalloc byte[8 + 16];
        BinaryPrimitives.WriteInt64BigEndian(message, window);
        IPAddress address = client.IsIPv4MappedToIPv6 ? client : client.MapToIPv6();
        address.TryWriteBytes(message[8..], out _);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, message, mac);
        return BinaryPrimitives.ReadInt64BigEndian(mac);
    }
}
