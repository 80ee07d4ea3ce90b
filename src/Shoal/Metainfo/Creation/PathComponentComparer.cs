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
            int order = Encoding.UTF8.GetBytes(x[i]).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return x.Count.CompareTo(y.Count);
    }
}
