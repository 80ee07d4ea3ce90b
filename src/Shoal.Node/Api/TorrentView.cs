namespace Shoal.Node.Api;

/// <summary>A torrent as the API shows it: bytes, bytes per second, seconds, progress from 0 to 1, times in UTC.</summary>
public record TorrentView(
    string Id,
    string Name,
    string State,
    double Progress,
    long Size,
    long Downloaded,
    long Uploaded,
    long DownRate,
    long UpRate,
    int Peers,
    int Seeds,
    long? Eta,
    string SavePath,
    string Magnet,
    string? InfoHashV1,
    string? InfoHashV2,
    DateTimeOffset AddedAt,
    string? Error);

/// <summary>One page of the torrent list, and how many torrents matched in all.</summary>
public sealed record TorrentList(int Total, IReadOnlyList<TorrentView> Torrents);
