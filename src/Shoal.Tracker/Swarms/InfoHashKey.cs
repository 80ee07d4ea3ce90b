using System.Buffers.Binary;
using Shoal.Metainfo;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// The 20 bytes a swarm is tracked by: a v1 info-hash, or a v2 info-hash truncated to 20 bytes
/// (BEP 52, tracker section). A value type, so a table of 100,000 swarms holds no key objects.
/// </summary>
public readonly struct InfoHashKey : IEquatable<InfoHashKey>
{
    public const int Length = 20;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private InfoHashKey(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    /// <summary>Reads the first 20 bytes of <paramref name="bytes"/>, which must hold at least that many.</summary>
    public static InfoHashKey Read(ReadOnlySpan<byte> bytes) =>
        bytes.Length < Length
            ? throw new ArgumentException($"an info-hash key is {Length} bytes, not {bytes.Length}", nameof(bytes))
            : new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));

    /// <summary>The key a client announces for <paramref name="hash"/>: the hash itself, truncated when v2.</summary>
    public static InfoHashKey From(InfoHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Read(hash.Span);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public string ToHex() => Convert.ToHexStringLower(ToArray());

    public override string ToString() => ToHex();

    public bool Equals(InfoHashKey other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is InfoHashKey other && Equals(other);

    // Randomised per process: info-hashes come from strangers, who must not be able to aim at one bucket.
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public static bool operator ==(InfoHashKey left, InfoHashKey right) => left.Equals(right);

    public static bool operator !=(InfoHashKey left, InfoHashKey right) => !left.Equals(right);
}
