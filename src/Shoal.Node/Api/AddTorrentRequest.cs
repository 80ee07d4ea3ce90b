namespace Shoal.Node.Api;

/// <summary>The JSON body of <c>POST /api/v1/torrents</c>: one of <see cref="Magnet"/>, <see cref="InfoHash"/> and <see cref="Share"/>.</summary>
public sealed record AddTorrentRequest(string? Magnet, string? InfoHash, string? Share, string? SavePath, bool Paused);
