namespace Shoal.Net.Encryption;

/// <summary>How long the random paddings (PadA to PadD) we send are.</summary>
internal enum MsePadding
{
    /// <summary>A random length from 0 to 512 bytes each, as libtorrent sends: the handshake's length tells an observer nothing.</summary>
    Random,

    /// <summary>The spec's maximum, 512 bytes each: the longest handshake a peer must accept (for tests).</summary>
    Maximum,

    /// <summary>No padding: the shortest handshake (for tests).</summary>
    None,
}
