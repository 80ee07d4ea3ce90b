namespace Shoal.Storage;

public sealed partial class FileStorage
{
    /// <summary>
    /// Whether any content byte of the range may have been written: false when every byte lies in a hole
    /// of a sparse file or outside the files. A range never written is then known to be missing without
    /// hashing it. Some file systems keep written zeros as holes (ZFS with compression): a piece of zeros
    /// then counts as missing, so this only ever decides what to fetch again, never what a file holds.
    /// </summary>
    public bool MayHoldData(long offset, long length) =>
        AnyContent(
            offset,
            length,
            static (file, position, length) => file.Handle is { } handle
                && position < file.Length
                && SparseFiles.MayHoldData(handle, position, Math.Min(length, file.Length - position)));
}
