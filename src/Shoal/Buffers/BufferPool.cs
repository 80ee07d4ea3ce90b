using System.Buffers;

namespace Shoal.Buffers;

/// <summary>
/// Where the engine rents its block, receive and send buffers. The shared pool keeps what is returned (up
/// to a bound) instead of leaving it to the garbage collector: a download cycles thousands of 16 KiB
/// blocks a second through it, and fresh memory costs page faults. Tests substitute a pool that checks
/// every rented buffer comes back.
/// </summary>
public class BufferPool
{
    // Enough 16 KiB blocks for the default write cache and request pipelines of a busy session.
    private const int MaxBuffersPerSize = 4096;
    private const int MaxPooledLength = 4 * 1024 * 1024;
    private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create(MaxPooledLength, MaxBuffersPerSize);

    public static BufferPool Shared { get; } = new();

    public virtual byte[] Rent(int minimumLength) => _pool.Rent(minimumLength);

    public virtual void Return(byte[] buffer) => _pool.Return(buffer);
}
