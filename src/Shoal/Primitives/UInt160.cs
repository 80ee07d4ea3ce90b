using System.Buffers.Binary;
using System.Numerics;

namespace Shoal.Primitives;

/// <summary>
/// A 160-bit unsigned number read from 20 bytes, most significant first: the shape of a SHA-1
/// info-hash, a tracker's swarm key and a DHT node id (BEP 5). A value type of three integers, so
/// a table keyed by it holds no arrays and compares without a loop.
/// </summary>
public readonly struct UInt160 : IEquatable<UInt160>, IComparable<UInt160>
{
    public const int Size = 20;
    public const int Bits = Size * 8;

    private readonly ulong _high;
    private readonly ulong _middle;
    private readonly uint _low;

    private UInt160(ulong high, ulong middle, uint low)
    {
        _high = high;
        _middle = middle;
        _low = low;
    }

    public static UInt160 Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a 160-bit number is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new UInt160(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _middle);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _low);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>How many of the 160 bits are zero before the first one (160 for zero).</summary>
    public static int LeadingZeroCount(UInt160 value)
    {
        if (value._high != 0)
        {
            return BitOperations.LeadingZeroCount(value._high);
        }

        if (value._middle != 0)
        {
            return 64 + BitOperations.LeadingZeroCount(value._middle);
        }

        return 128 + (value._low != 0 ? BitOperations.LeadingZeroCount(value._low) : 32);
    }

    public int CompareTo(UInt160 other)
    {
        int c = _high.CompareTo(other._high);
        if (c == 0)
        {
            c = _middle.CompareTo(other._middle);
        }

        return c != 0 ? c : _low.CompareTo(other._low);
    }

    public bool Equals(UInt160 other) => _high == other._high && _middle == other._middle && _low == other._low;

    public override bool Equals(object? obj) => obj is UInt160 other && Equals(other);

    // Randomised per process: info-hashes come from strangers, who must not be able to aim at one bucket.
    public override int GetHashCode() => HashCode.Combine(_high, _middle, _low);

    /// <summary>Lower-case hex, 40 digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToArray());

    public static UInt160 operator ^(UInt160 left, UInt160 right) =>
        new(left._high ^ right._high, left._middle ^ right._middle, left._low ^ right._low);

    public static bool operator ==(UInt160 left, UInt160 right) => left.Equals(right);

    public static bool operator !=(UInt160 left, UInt160 right) => !left.Equals(right);

    public static bool operator <(UInt160 left, UInt160 right) => left.CompareTo(right) < 0;

    public static bool operator >(UInt160 left, UInt160 right) => left.CompareTo(right) > 0;

    public static bool operator <=(UInt160 left, UInt160 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(UInt160 left, UInt160 right) => left.CompareTo(right) >= 0;
}
