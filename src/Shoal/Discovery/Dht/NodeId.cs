using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Shoal.Discovery.Dht;

/// <summary>A 160-bit DHT node id or info-hash (BEP 5), compared as a big-endian unsigned number.</summary>
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    public const int Size = 20;
    public const int Bits = Size * 8;

    private readonly ulong _high;
    private readonly ulong _middle;
    private readonly uint _low;

    private NodeId(ulong high, ulong middle, uint low)
    {
        _high = high;
        _middle = middle;
        _low = low;
    }

    public static NodeId Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a node id is {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new NodeId(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public static NodeId Parse(string hex) => Read(Convert.FromHexString(hex));

    public static NodeId CreateRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static NodeId CreateRandom(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[Size];
        random.NextBytes(bytes);
        return Read(bytes);
    }

    /// <summary>A random id that shares exactly the first <paramref name="prefixBits"/> bits with this one.</summary>
    public NodeId RandomWithPrefix(int prefixBits, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixBits, Bits);
        NodeId other = CreateRandom(random);
        if (prefixBits == Bits)
        {
            return this;
        }

        Span<byte> mine = stackalloc byte[Size];
        Span<byte> result = stackalloc byte[Size];
        WriteTo(mine);
        other.WriteTo(result);
        for (int bit = 0; bit <= prefixBits; bit++)
        {
            int mask = 0x80 >> (bit % 8);
            bool set = (mine[bit / 8] & mask) != 0;
            if (bit == prefixBits)
            {
                set = !set;
            }

            result[bit / 8] = (byte)(set ? result[bit / 8] | mask : result[bit / 8] & ~mask);
        }

        return Read(result);
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

    /// <summary>BEP 5: the distance metric is XOR, read as an unsigned integer.</summary>
    public NodeId Xor(NodeId other) => new(_high ^ other._high, _middle ^ other._middle, _low ^ other._low);

    /// <summary>How many leading bits this id shares with <paramref name="other"/> (160 when equal).</summary>
    public int CommonPrefixLength(NodeId other)
    {
        NodeId d = Xor(other);
        if (d._high != 0)
        {
            return BitOperations.LeadingZeroCount(d._high);
        }

        if (d._middle != 0)
        {
            return 64 + BitOperations.LeadingZeroCount(d._middle);
        }

        return 128 + (d._low != 0 ? BitOperations.LeadingZeroCount(d._low) : 32);
    }

    /// <summary>Orders <paramref name="a"/> and <paramref name="b"/> by their distance to this id.</summary>
    public int CompareDistance(NodeId a, NodeId b) => Xor(a).CompareTo(Xor(b));

    public int CompareTo(NodeId other)
    {
        int c = _high.CompareTo(other._high);
        if (c == 0)
        {
            c = _middle.CompareTo(other._middle);
        }

        return c != 0 ? c : _low.CompareTo(other._low);
    }

    public bool Equals(NodeId other) => _high == other._high && _middle == other._middle && _low == other._low;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _middle, _low);

    public override string ToString() => Convert.ToHexStringLower(ToArray());

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
