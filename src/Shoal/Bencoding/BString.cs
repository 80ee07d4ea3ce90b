using System.Text;

namespace Shoal.Bencoding;

/// <summary>A bencode byte string. Decoded strings share memory with the input.</summary>
public sealed class BString(ReadOnlyMemory<byte> bytes) : BValue
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public BString(string text)
        : this(Encoding.UTF8.GetBytes(text))
    {
    }

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public ReadOnlySpan<byte> Span => Bytes.Span;

    /// <summary>The string as UTF-8 text; invalid sequences become U+FFFD.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public bool IsValidUtf8 => System.Text.Unicode.Utf8.IsValid(Bytes.Span);

    /// <summary>The string as UTF-8 text, or null when it is not valid UTF-8.</summary>
    public string? TryGetStrictText()
    {
        try
        {
            return StrictUtf8.GetString(Bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public override void WriteTo(BencodeWriter writer) => writer.WriteString(Span);

    public override string ToString() => Text;
}
