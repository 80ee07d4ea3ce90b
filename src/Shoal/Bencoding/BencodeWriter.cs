using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Shoal.Bencoding;

/// <summary>Writes bencode tokens (BEP 3) to a buffer. Callers write dictionary keys in sorted order.</summary>
public sealed class BencodeWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly ArrayBufferWriter<byte>? _ownBuffer;

    public BencodeWriter()
    {
        _ownBuffer = new ArrayBufferWriter<byte>();
        _output = _ownBuffer;
    }

    public BencodeWriter(IBufferWriter<byte> output)
    {
        _output = output;
    }

    public void WriteInteger(long value)
    {
        Span<byte> span = _output.GetSpan(22);
        span[0] = (byte)'i';
        Utf8Formatter.TryFormat(value, span[1..], out int written);
        span[1 + written] = (byte)'e';
        _output.Advance(written + 2);
    }

    public void WriteString(ReadOnlySpan<byte> value)
    {
        Span<byte> span = _output.GetSpan(11 + value.Length);
        Utf8Formatter.TryFormat(value.Length, span, out int written);
        span[written++] = (byte)':';
        value.CopyTo(span[written..]);
        _output.Advance(written + value.Length);
    }

    public void WriteString(string value)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        int length = Encoding.UTF8.GetBytes(value, rented);
        WriteString(rented.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(rented);
    }

    public void WriteListStart() => WriteByte((byte)'l');

    public void WriteDictionaryStart() => WriteByte((byte)'d');

    public void WriteEnd() => WriteByte((byte)'e');

    /// <summary>The bytes written so far, when this writer owns its buffer.</summary>
    public byte[] ToArray() => _ownBuffer?.WrittenSpan.ToArray()
        ?? throw new InvalidOperationException("this writer writes to a caller's buffer");

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }
}
