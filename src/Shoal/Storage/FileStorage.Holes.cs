namespace Shoal.Storage;

public sealed partial class FileStorage
{
    /// <summary>
    /// Whether any content byte of the range may have been written: false when every byte lies in a hole
    /// of a sparse file or outside the files. A range never written is then known to be missing without
    /// hashing it. Some file systems keep written zeros as holes (ZFS with compression): a piece of zeros
    /// then counts as missing, so this only ever decides what to fetch again, never what a file holds.
    /// </summary>
    public bool MayHoldData(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _routing.EnterReadLock();
        try
        {
            foreach (ContentMap.Segment segment in _map.Segments(offset, length))
            {
                if (segment.IsGap)
                {
                    continue;
                }

                (int slot, long position) = Locate(segment);
                if (GetForRead(slot) is { Handle: { } handle } file
                    && position < file.Length
                    && SparseFiles.MayHoldData(handle, position, Math.Min(segment.Length, file.Length - position)))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            _routing.ExitReadLock();
        }
    }
}
