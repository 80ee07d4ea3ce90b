namespace Shoal.Bencoding;

/// <summary>A decoded bencode value. Values decoded from input remember their raw byte range.</summary>
public abstract class BValue
{
    /// <summary>Offset of the value's first byte in the decoded input (0 for values built in code).</summary>
    public int SourceStart { get; internal set; }

    /// <summary>Length in bytes of the value's encoding in the decoded input (0 for values built in code).</summary>
    public int SourceLength { get; internal set; }

    public Range SourceRange => new(SourceStart, SourceStart + SourceLength);

    /// <summary>Writes the canonical encoding (dictionary keys sorted) of this value.</summary>
    public abstract void WriteTo(BencodeWriter writer);

    /// <summary>The canonical encoding of this value.</summary>
    public byte[] Encode()
    {
        var writer = new BencodeWriter();
        WriteTo(writer);
        return writer.ToArray();
    }
}
