using System.Text;

namespace Shoal.Bencoding;

/// <summary>A bencode byte string. Decoded strings share memory with the input.</summary>
public sealed class BString(ReadOnlyMemory<byte> bytes) : BValue
{
    public BString(string text)
        : this(Encoding.UTF8.GetBytes(text))
    {
    }

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public ReadOnlySpan<byte> Span => Bytes.Span;

    /// <summary>The string as UTF-8 text; invalid sequences become U+FFFD.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public override void WriteTo(BencodeWriter writer) => writer.WriteString(Span);

    public override string ToString() => Text;
}
