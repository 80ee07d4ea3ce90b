using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// Where a peer listens: an IPv6 address (IPv4 kept as IPv4-mapped) and a port. A value type of
/// 18 bytes (packed: a swarm's entries hold a million of them), so a million peers cost no objects. A
/// swarm knows a peer by this, as opentracker does.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
public readonly struct PeerAddress : IEquatable<PeerAddress>
{
    private const ulong MappedPrefix = 0x0000_FFFF_0000_0000;

    private readonly ulong _high;
    private readonly ulong _low;

    public PeerAddress(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        IPv4Mapping.WriteMapped(address, bytes);

        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        Port = (ushort)port;
    }

    private PeerAddress(ulong high, ulong low, ushort port)
    {
        _high = high;
        _low = low;
        Port = port;
    }

    /// <summary>The length of the saved form: the 16 address bytes (IPv4 mapped) and the port.</summary>
    public const int SavedLength = 18;

    public ushort Port { get; }

    public bool IsIPv4 => _high == 0 && (_low & 0xFFFF_FFFF_0000_0000) == MappedPrefix;

    /// <summary>
    /// The unit per-address caps count, as <c>Limits.AddressBlock</c> has it: the IPv4 address, or the
    /// IPv6 /64; the port is 0.
    /// </summary>
    public PeerAddress Block => IsIPv4 ? new(_high, _low, 0) : new(_high, 0, 0);

    /// <summary>Writes the compact form (BEP 23 for IPv4, BEP 7 for IPv6); returns its length.</summary>
    public int WriteCompact(Span<byte> destination)
    {
        Span<byte> address = stackalloc byte[16];
        return CompactInfo.WritePeer(destination, WriteAddress(address), Port);
    }

    /// <summary>Writes the <see cref="SavedLength"/>-byte form that <see cref="ReadSaved"/> reads back.</summary>
    public void WriteSaved(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], Port);
    }

    public static PeerAddress ReadSaved(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]), BinaryPrimitives.ReadUInt16BigEndian(source[16..]));

    public IPEndPoint ToEndPoint()
    {
        Span<byte> address = stackalloc byte[16];
        return new IPEndPoint(new IPAddress(WriteAddress(address)), Port);
    }

    public override string ToString() => ToEndPoint().ToString();

    public bool Equals(PeerAddress other) => _high == other._high && _low == other._low && Port == other.Port;

    public override bool Equals(object? obj) => obj is PeerAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low, Port);

    public static bool operator ==(PeerAddress left, PeerAddress right) => left.Equals(right);

    public static bool operator !=(PeerAddress left, PeerAddress right) => !left.Equals(right);

    /// <summary>Writes the 16 address bytes into <paramref name="scratch"/>; returns the 4 of IPv4 or all 16.</summary>
    private ReadOnlySpan<byte> WriteAddress(Span<byte> scratch)
    {
        BinaryPrimitives.WriteUInt64BigEndian(scratch, _high);
        BinaryPrimitives.WriteUInt64BigEndian(scratch[8..], _low);
        return IsIPv4 ? scratch[12..] : scratch;
    }
}
