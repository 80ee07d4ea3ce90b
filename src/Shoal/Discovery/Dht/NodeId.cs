using System.Security.Cryptography;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>A DHT node id or info-hash (BEP 5): a point of the 160-bit key space, where distance is XOR.</summary>
public readonly record struct NodeId(UInt160 Value) : IComparable<NodeId>
{
    public const int Size = UInt160.Size;
    public const int Bits = UInt160.Bits;

    public static NodeId Read(ReadOnlySpan<byte> bytes) => new(UInt160.Read(bytes));

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

    public void WriteTo(Span<byte> destination) => Value.WriteTo(destination);

    public byte[] ToArray() => Value.ToArray();

    /// <summary>BEP 5: the distance metric is XOR, read as an unsigned integer.</summary>
    public NodeId Xor(NodeId other) => new(Value ^ other.Value);

    /// <summary>How many leading bits this id shares with <paramref name="other"/> (160 when equal).</summary>
    public int CommonPrefixLength(NodeId other) => UInt160.LeadingZeroCount(Value ^ other.Value);

    /// <summary>Orders <paramref name="a"/> and <paramref name="b"/> by their distance to this id.</summary>
    public int CompareDistance(NodeId a, NodeId b) => Xor(a).CompareTo(Xor(b));

    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString();

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
