namespace Shoal.Bencoding;

/// <summary>Compares byte sequences by content, for sets and dictionaries keyed by raw bytes.</summary>
public sealed class ByteMemoryComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static ByteMemoryComparer Instance { get; } = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<byte> obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj.Span);
        return hash.ToHashCode();
    }
}
