using System.Buffers;

namespace Shoal.Net;

/// <summary>An <see cref="IBufferWriter{T}"/> over a fixed array: the send loop fills one batch per socket write.</summary>
internal sealed class BatchWriter(byte[] buffer) : IBufferWriter<byte>
{
    public int Written { get; private set; }

    public int Free => buffer.Length - Written;

    public Memory<byte> WrittenMemory => buffer.AsMemory(0, Written);

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(Written);

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(Written);

    public void Reset() => Written = 0;
}
