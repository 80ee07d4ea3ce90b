using System.Buffers;
using System.Text;

namespace Shoal.Metainfo.Creation;

/// <summary>
/// Orders file paths component by component, comparing raw UTF-8 bytes: the order of a bencoded
/// v2 file tree (BEP 52), which hybrid torrents also use for their v1 file list.
/// </summary>
public sealed class PathComponentComparer : IComparer<IReadOnlyList<string>>
{
    public static PathComponentComparer Instance { get; } = new();

    public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            int order = CompareUtf8(x[i], y[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    // UTF-16 ordinal order differs from UTF-8 byte order once surrogate pairs meet U+E000..U+FFFF,
    // so compare the encoded bytes, transcoded into pooled memory rather than new arrays.
    private static int CompareUtf8(string a, string b)
    {
        byte[] left = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(a.Length));
        byte[] right = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(b.Length));
        try
        {
            int leftLength = Encoding.UTF8.GetBytes(a, left);
            int rightLength = Encoding.UTF8.GetBytes(b, right);
            return left.AsSpan(0, leftLength).SequenceCompareTo(right.AsSpan(0, rightLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(left);
            ArrayPool<byte>.Shared.Return(right);
        }
    }
}
