using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Shoal.Node.Events;
using Shoal.Node.Security;

namespace Shoal.Node.Api;

/// <summary>Every route of <c>/api/v1</c>, as <c>docs/node.md</c> lists them.</summary>
internal static class NodeRoutes
{
    /// <param name="trackerHttp">The client that reaches the tracker of the node user's login.</param>
    public static void Map(IEndpointRouteBuilder web, NodeParts parts, ShareRoots shareRoots, HttpClient trackerHttp)
    {
        var savePaths = new SavePaths(parts.Settings);
        var add = new AddTorrentEndpoint(parts.Torrents, savePaths, shareRoots);
        var torrents = new TorrentEndpoints(parts.Torrents);
        web.MapGet("/api/v1/torrents", torrents.ListAsync);
        web.MapPost("/api/v1/torrents", add.HandleAsync);
        web.MapGet("/api/v1/torrents/{id}", torrents.GetAsync);
        web.MapPost("/api/v1/torrents/{id}/pause", torrents.PauseAsync);
        web.MapPost("/api/v1/torrents/{id}/resume", torrents.ResumeAsync);
        web.MapPost("/api/v1/torrents/{id}/recheck", torrents.RecheckAsync);
        web.MapDelete("/api/v1/torrents/{id}", torrents.DeleteAsync);

        var settings = new SettingsEndpoints(parts.Settings, parts.Session);
        web.MapGet("/api/v1/settings", settings.GetAsync);
        web.MapPatch("/api/v1/settings", settings.PatchAsync);

        web.MapGet("/api/v1/events", new EventStreamEndpoint(parts.Events).StreamAsync);
        web.MapGet("/api/v1/stats", new StatsEndpoint(parts.Torrents, parts.Session).GetAsync);

        var groups = new GroupEndpoints(parts.Login, trackerHttp, parts.Torrents, savePaths);
        web.MapGet("/api/v1/groups", groups.ListAsync);
        web.MapPost("/api/v1/groups/{group}/files/{infoHash}", groups.GetFileAsync);
    }
}
