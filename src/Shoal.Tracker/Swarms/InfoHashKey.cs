using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// The 20 bytes a swarm is tracked by: a v1 info-hash, or a v2 info-hash truncated to 20 bytes
/// (BEP 52, tracker section). A value type, so a table of 100,000 swarms holds no key objects.
/// </summary>
public readonly record struct InfoHashKey(UInt160 Value)
{
    public const int Length = UInt160.Size;

    /// <summary>Reads the first 20 bytes of <paramref name="bytes"/>, which must hold at least that many.</summary>
    public static InfoHashKey Read(ReadOnlySpan<byte> bytes) =>
        bytes.Length < Length
            ? throw new ArgumentException($"an info-hash key is {Length} bytes, not {bytes.Length}", nameof(bytes))
            : new(UInt160.Read(bytes[..Length]));

    /// <summary>The key a client announces for <paramref name="hash"/>: the hash itself, truncated when v2.</summary>
    public static InfoHashKey From(InfoHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Read(hash.Span);
    }

    public void WriteTo(Span<byte> destination) => Value.WriteTo(destination);

    public byte[] ToArray() => Value.ToArray();

    public string ToHex() => Value.ToString();

    public override string ToString() => ToHex();
}
