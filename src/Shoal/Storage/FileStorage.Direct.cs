using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>
/// Direct writes (<see cref="DirectWrites"/>): a second handle per file, opened on its first aligned write. A direct
/// write waits for the device, so when the disk is busy (another process writing to it) they stop: after
/// <see cref="SlowDirectWritesAllowed"/> writes slower than <see cref="SlowDirectWrite"/>, this storage writes through
/// the page cache, which takes the bytes at once. Measured on 1 GiB downloads beside a writing <c>dd</c>: 12–36 s
/// direct against 5–11 s buffered (libtorrent 2.5–14 s); on a quiet disk direct took 2.4–3.2 s and 1.5 s of CPU
/// against buffered 3.9–4.0 s and 2.0 s.
/// </summary>
public sealed partial class FileStorage
{
    /// <summary>Far above what a quiet disk takes for a piece (about a millisecond for 512 KiB).</summary>
    internal static readonly TimeSpan SlowDirectWrite = TimeSpan.FromMilliseconds(25);

    internal const int SlowDirectWritesAllowed = 4;

    private int _slowDirectWrites;

    /// <summary>Times each direct write (a test's clock stands for a slow disk).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether aligned pieces still go to the disk directly (false once refused or slow).</summary>
    internal bool WritesDirect => !_directFailed;

    // One per torrent file (the part file, rare and moved about, is written through the page cache); null until tried, or where unsupported.
    private readonly SafeFileHandle?[] _direct;
    private readonly bool[] _directTried;
    private volatile bool _directFailed;

    private SafeFileHandle? DirectHandle(int slot)
    {
        if (slot == PartSlot || _directFailed)
        {
            return null;
        }

        if (Volatile.Read(ref _direct[slot]) is { } ready)
        {
            return ready;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_directTried[slot])
            {
                _directTried[slot] = true;
                Volatile.Write(ref _direct[slot], DirectWrites.Open(_paths[slot]));
            }

            return _direct[slot];
        }
    }

    /// <summary>False, for the caller to write through the page cache, when the file system refuses a direct write (then no more are tried).</summary>
    private bool TryWriteDirect(SafeFileHandle direct, IReadOnlyList<ReadOnlyMemory<byte>> slices, long position)
    {
        try
        {
            long started = Time.GetTimestamp();
            DirectWrites.Write(direct, slices, position);
            if (Time.GetElapsedTime(started) > SlowDirectWrite && Interlocked.Increment(ref _slowDirectWrites) >= SlowDirectWritesAllowed)
            {
                _directFailed = true;
            }

            return true;
        }
        catch (IOException)
        {
            // EINVAL from an alignment this file system wants larger; a real failure (a full disk) comes back from the buffered write.
            _directFailed = true;
            return false;
        }
    }
}
