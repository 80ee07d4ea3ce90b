namespace Shoal.Metainfo;

public static class TorrentVersionExtensions
{
    /// <summary>Whether such a torrent carries BEP 3 SHA-1 piece hashes.</summary>
    public static bool HasV1(this TorrentVersion version) => version != TorrentVersion.V2;

    /// <summary>Whether such a torrent carries BEP 52 file trees and Merkle roots.</summary>
    public static bool HasV2(this TorrentVersion version) => version != TorrentVersion.V1;

    public static TorrentVersion FromParts(bool hasV1, bool hasV2) => (hasV1, hasV2) switch
    {
        (true, true) => TorrentVersion.Hybrid,
        (true, false) => TorrentVersion.V1,
        _ => TorrentVersion.V2,
    };
}
