namespace Shoal.Net;

/// <summary>
/// A limit on connections, counted from the moment a dial or an accept starts: counting only established
/// connections let simultaneous handshakes pass the limit together. Thread-safe. The limit is read at each use, so a user may change it while connections are open: lowering it closes
/// none, it only stops new ones.
/// </summary>
internal sealed class ConnectionSlots(Func<int> limit)
{
    private int _taken;

    public int Free => limit() - Volatile.Read(ref _taken);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _taken) <= limit())
        {
            return true;
        }

        Interlocked.Decrement(ref _taken);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _taken);
}
