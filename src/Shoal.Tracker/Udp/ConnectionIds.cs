using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Shoal.Primitives;

namespace Shoal.Tracker.Udp;

/// <summary>
/// BEP 15 connection ids without per-client state: the first 8 bytes of an HMAC-SHA256, under a
/// secret made at start, of the client's IP address and the current minute. An id is accepted in
/// the minute it was made and the next, so it lives one to two minutes; forging one means breaking
/// the HMAC. The source port is left out: some clients send each request from a new socket.
/// The HMAC was most of a UDP announce's CPU time, so the ids of recent addresses are kept in a
/// fixed table (<see cref="CacheSlots"/> entries, indexed by a per-process randomised hash of the
/// address and the minute): a client announcing many torrents, or again within the minute, costs
/// one HMAC per minute. A miss, or addresses evicting each other, only costs the HMAC again.
/// </summary>
internal sealed class ConnectionIds
{
    private const int CacheSlots = 4096;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    // Whole immutable entries, so a reader racing a writer sees one entry or the other, never a mix.
    private readonly CachedId?[] _cache = new CachedId?[CacheSlots];

    public ConnectionIds(TimeProvider time) => _time = time;

    public long Issue(IPAddress client) => IdOf(AddressOf(client), CurrentWindow());

    public bool IsValid(long connectionId, IPAddress client)
    {
        UInt128 address = AddressOf(client);
        long window = CurrentWindow();
        return connectionId == IdOf(address, window) || connectionId == IdOf(address, window - 1);
    }

    private static UInt128 AddressOf(IPAddress client)
    {
        Span<byte> bytes = stackalloc byte[16];
        IPv4Mapping.WriteMapped(client, bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private long CurrentWindow() => _time.GetUtcNow().ToUnixTimeSeconds() / (long)Window.TotalSeconds;

    private long IdOf(UInt128 address, long window)
    {
        int slot = HashCode.Combine(address, window) & (CacheSlots - 1);
        if (_cache[slot] is { } cached && cached.Address == address && cached.Window == window)
        {
            return cached.Id;
        }

        long id = Compute(address, window);
        _cache[slot] = new CachedId(address, window, id);
        return id;
    }

    private long Compute(UInt128 address, long window)
    {
        Span<byte> message = stackalloc byte[8 + 16];
        BinaryPrimitives.WriteInt64BigEndian(message, window);
        BinaryPrimitives.WriteUInt128BigEndian(message[8..], address);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, message, mac);
        return BinaryPrimitives.ReadInt64BigEndian(mac);
    }

    private sealed record CachedId(UInt128 Address, long Window, long Id);
}
