using Microsoft.AspNetCore.Http;
using Shoal.Node.Torrents;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary><c>GET /api/v1/stats</c>: the node's stats as they are now.</summary>
internal sealed class StatsEndpoint(NodeTorrents torrents, ShoalSession session)
{
    public Task GetAsync(HttpContext context) =>
        ApiJson.WriteAsync(context, NodeStats.Of([.. torrents.All.Select(TorrentViews.From)], session.DhtState), NodeJsonContext.Api.NodeStats);
}
