using Microsoft.Win32.SafeHandles;

namespace Shoal.Storage;

/// <summary>Direct writes (<see cref="DirectWrites"/>): a second handle per file, opened on its first aligned write.</summary>
public sealed partial class FileStorage
{
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
            DirectWrites.Write(direct, slices, position);
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
