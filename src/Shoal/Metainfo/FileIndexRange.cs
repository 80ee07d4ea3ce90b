namespace Shoal.Metainfo;

/// <summary>BEP 53: the file indices <see cref="First"/> to <see cref="Last"/>, inclusive, of a select-only list.</summary>
public readonly record struct FileIndexRange(int First, int Last)
{
    public int First { get; } = First >= 0 ? First : throw new ArgumentOutOfRangeException(nameof(First), First, "file indices start at 0");

    public int Last { get; } = Last >= First ? Last : throw new ArgumentOutOfRangeException(nameof(Last), Last, "a range must not end before it starts");

    /// <summary>The BEP 53 form: <c>N</c> for a single file, <c>N-M</c> for a range.</summary>
    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}
