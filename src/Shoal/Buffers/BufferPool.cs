using System.Buffers;

namespace Shoal.Buffers;

/// <summary>
/// Where the engine rents its block and receive buffers. The default shares <see cref="ArrayPool{T}.Shared"/>;
/// tests substitute a pool that checks every rented buffer comes back.
/// </summary>
public class BufferPool
{
    public static BufferPool Shared { get; } = new();

    public virtual byte[] Rent(int minimumLength) => ArrayPool<byte>.Shared.Rent(minimumLength);

    public virtual void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
