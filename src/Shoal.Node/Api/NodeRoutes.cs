using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shoal.Node.Events;
using Shoal.Node.Security;
using Shoal.Node.Settings;

namespace Shoal.Node.Api;

/// <summary>
/// Every route of <c>/api/v1</c>, as <c>docs/node.md</c> lists them, each with the types it reads and answers so
/// that <c>/api/v1/openapi.json</c> describes them.
/// </summary>
internal static class NodeRoutes
{
    public const string OpenApiPath = "/api/v1/openapi.json";

    private const string Json = "application/json";

    /// <param name="trackerHttp">The client that reaches the tracker of the node user's login.</param>
    public static void Map(IEndpointRouteBuilder web, NodeParts parts, ShareRoots shareRoots, HttpClient trackerHttp)
    {
        var savePaths = new SavePaths(parts.Settings);
        var add = new AddTorrentEndpoint(parts.Torrents, savePaths, shareRoots);
        var torrents = new TorrentEndpoints(parts.Torrents);
        Route(web, "GET", "/api/v1/torrents", torrents.ListAsync, "The torrents, filtered, sorted and paged (state, q, sort, page, perPage)")
            .Produces<TorrentList>();
        Route(web, "POST", "/api/v1/torrents", add.HandleAsync, "Adds a .torrent (multipart field 'torrent'), a magnet, an info-hash or a local path to share")
            .Accepts<AddTorrentRequest>(Json, "multipart/form-data")
            .Produces<TorrentView>(StatusCodes.Status201Created)
            .Produces<TorrentView>();
        Route(web, "GET", "/api/v1/torrents/{id}", torrents.GetAsync, "One torrent with its files, connections, trackers and pieces")
            .Produces<TorrentDetails>();
        Route(web, "PATCH", "/api/v1/torrents/{id}", torrents.PatchAsync, "Changes the torrent's own rate limits")
            .Accepts<TorrentLimitsPatch>(Json)
            .Produces<TorrentDetails>();
        Route(web, "PATCH", "/api/v1/torrents/{id}/files", torrents.PatchFilesAsync, "Chooses the files to fetch: each listed file's priority, skip, normal or high")
            .Accepts<FilePrioritiesPatch>(Json)
            .Produces<TorrentDetails>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        foreach ((string action, Func<HttpContext, Task> handler, string summary) in new (string, Func<HttpContext, Task>, string)[]
        {
            ("pause", torrents.PauseAsync, "Stops the torrent's transfers and keeps it paused across restarts"),
            ("resume", torrents.ResumeAsync, "Starts a paused torrent again"),
            ("recheck", torrents.RecheckAsync, "Checks the files against the hashes again, trusting no resume data"),
        })
        {
            Route(web, "POST", $"/api/v1/torrents/{{id}}/{action}", handler, summary).Produces<TorrentView>();
        }

        Route(web, "DELETE", "/api/v1/torrents/{id}", torrents.DeleteAsync, "Removes the torrent; deleteFiles=true removes its files too")
            .Produces(StatusCodes.Status204NoContent);

        var settings = new SettingsEndpoints(parts.Settings, parts.Session);
        Route(web, "GET", "/api/v1/settings", settings.GetAsync, "The node's settings").Produces<NodeSettingsView>();
        Route(web, "PATCH", "/api/v1/settings", settings.PatchAsync, "Changes the settings given")
            .Accepts<NodeSettingsPatch>(Json)
            .Produces<NodeSettingsView>();

        Route(web, "GET", "/api/v1/events", new EventStreamEndpoint(parts.Events).StreamAsync, "Server-Sent Events: a snapshot, then added, changed, removed and stats")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        Route(web, "GET", "/api/v1/stats", new StatsEndpoint(parts.Torrents, parts.Session).GetAsync, "Totals over all torrents")
            .Produces<NodeStats>();
        Route(web, "GET", "/api/v1/reachability", new ReachabilityEndpoint(parts.Session).GetAsync, "The peer ports, their mappings on the router, and the external address with its source")
            .Produces<ReachabilityView>();

        var groups = new GroupEndpoints(parts.Login, trackerHttp, parts.Torrents, savePaths);
        Route(web, "GET", "/api/v1/groups", groups.ListAsync, "The groups and files of the node user's tracker login")
            .Produces<GroupsView>();
        Route(web, "POST", "/api/v1/groups/{group}/files/{infoHash}", groups.GetFileAsync, "Adds a group file to the node")
            .Accepts<GetGroupFileRequest>(isOptional: true, Json)
            .Produces<TorrentView>(StatusCodes.Status201Created)
            .Produces<TorrentView>();
    }

    /// <summary>A route whose handler is given as a delegate, so that the API description sees it, with its errors.</summary>
    private static RouteHandlerBuilder Route(IEndpointRouteBuilder web, string method, string pattern, Func<HttpContext, Task> handler, string summary) =>
        web.MapMethods(pattern, [method], (Delegate)handler)
            .WithSummary(summary)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
}
