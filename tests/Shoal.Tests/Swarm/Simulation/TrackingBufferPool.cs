using System.Runtime.CompilerServices;
using Shoal.Buffers;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>A buffer pool that remembers every rented buffer, so a test can assert all came back.</summary>
internal sealed class TrackingBufferPool : BufferPool
{
    private readonly ConditionalWeakTable<byte[], object> _outstanding = [];
    private readonly Lock _gate = new();
    private int _count;
    private long _bytes;

    public int Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public int Rented { get; private set; }

    /// <summary>The most bytes rented and not yet returned at any moment: what the pool's users made it hold.</summary>
    public long PeakOutstandingBytes { get; private set; }

    public override byte[] Rent(int minimumLength)
    {
        byte[] buffer = base.Rent(minimumLength);
        lock (_gate)
        {
            if (!_outstanding.TryAdd(buffer, buffer))
            {
                throw new InvalidOperationException("the pool handed out a buffer that is still rented");
            }

            _count++;
            Rented++;
            _bytes += buffer.Length;
            PeakOutstandingBytes = Math.Max(PeakOutstandingBytes, _bytes);
        }

        return buffer;
    }

    public override void Return(byte[] buffer)
    {
        lock (_gate)
        {
            if (!_outstanding.Remove(buffer))
            {
                throw new InvalidOperationException("a buffer was returned twice, or was never rented from this pool");
            }

            _count--;
            _bytes -= buffer.Length;
        }

        base.Return(buffer);
    }

    public void AssertAllReturned()
    {
        Xunit.Assert.True(Outstanding == 0, $"{Outstanding} of {Rented} rented buffers were never returned");
    }
}
