namespace Shoal.Metainfo.Creation;

/// <summary>
/// Chooses a piece length from the content size the way libtorrent (and so qBittorrent and Deluge)
/// does: the piece-hash list grows with the square root of the size, from 16 KiB to 16 MiB pieces.
/// </summary>
public static class PieceLengthChooser
{
    // Largest total size (inclusive) for each piece length from 16 KiB up: a list of about 2*sqrt(size) bytes of SHA-1 hashes.
    private static readonly long[] SizeLimits =
    [
        2_684_355, 10_737_418, 42_949_673, 171_798_692, 687_194_767,
        2_748_779_069, 10_995_116_278, 43_980_465_111, 175_921_860_444, 703_687_441_777,
    ];

    public static long Choose(long totalSize)
    {
        int doublings = SizeLimits.TakeWhile(limit => limit < totalSize).Count();
        return PieceLengthRules.Min << doublings;
    }
}
