using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shoal.Node.Events;
using Shoal.Node.Security;
using Shoal.Node.Settings;

namespace Shoal.Node.Api;

/// <summary>
/// Every route of <c>/api/v1</c>, as <c>docs/node.md</c> lists them, each with the types it reads and answers so
/// that <c>/api/v1/openapi.json</c> describes them. Each handler is a lambda of the context and the request's
/// cancellation: a route handler, which the description sees and which is bound by code generated at build time (the
/// shoal binary is compiled ahead of time); a lambda of the context alone would be a plain request delegate, which the
/// description leaves out.
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
        web.MapGet("/api/v1/torrents", (HttpContext context, CancellationToken _) => torrents.ListAsync(context)).Described("The torrents, filtered, sorted and paged (state, q, sort, page, perPage)")
            .Produces<TorrentList>();
        web.MapPost("/api/v1/torrents", (HttpContext context, CancellationToken _) => add.HandleAsync(context)).Described("Adds a .torrent (multipart field 'torrent'), a magnet, an info-hash or a local path to share")
            .Accepts<AddTorrentRequest>(Json, "multipart/form-data")
            .Produces<TorrentView>(StatusCodes.Status201Created)
            .Produces<TorrentView>();
        web.MapGet("/api/v1/torrents/{id}", (HttpContext context, CancellationToken _) => torrents.GetAsync(context)).Described("One torrent with its files, connections, trackers and pieces")
            .Produces<TorrentDetails>();
        web.MapPatch("/api/v1/torrents/{id}", (HttpContext context, CancellationToken _) => torrents.PatchAsync(context)).Described("Changes the torrent's own rate limits")
            .Accepts<TorrentLimitsPatch>(Json)
            .Produces<TorrentDetails>();
        web.MapPatch("/api/v1/torrents/{id}/files", (HttpContext context, CancellationToken _) => torrents.PatchFilesAsync(context)).Described("Chooses the files to fetch: each listed file's priority, skip, normal or high")
            .Accepts<FilePrioritiesPatch>(Json)
            .Produces<TorrentDetails>()
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        web.MapPost("/api/v1/torrents/{id}/pause", (HttpContext context, CancellationToken _) => torrents.PauseAsync(context))
            .Described("Stops the torrent's transfers and keeps it paused across restarts")
            .Produces<TorrentView>();
        web.MapPost("/api/v1/torrents/{id}/resume", (HttpContext context, CancellationToken _) => torrents.ResumeAsync(context))
            .Described("Starts a paused torrent again")
            .Produces<TorrentView>();
        web.MapPost("/api/v1/torrents/{id}/recheck", (HttpContext context, CancellationToken _) => torrents.RecheckAsync(context))
            .Described("Checks the files against the hashes again, trusting no resume data")
            .Produces<TorrentView>();

        web.MapDelete("/api/v1/torrents/{id}", (HttpContext context, CancellationToken _) => torrents.DeleteAsync(context)).Described("Removes the torrent; deleteFiles=true removes its files too")
            .Produces(StatusCodes.Status204NoContent);

        var settings = new SettingsEndpoints(parts.Settings, parts.Session);
        web.MapGet("/api/v1/settings", (HttpContext context, CancellationToken _) => settings.GetAsync(context)).Described("The node's settings").Produces<NodeSettingsView>();
        web.MapPatch("/api/v1/settings", (HttpContext context, CancellationToken _) => settings.PatchAsync(context)).Described("Changes the settings given")
            .Accepts<NodeSettingsPatch>(Json)
            .Produces<NodeSettingsView>();

        var events = new EventStreamEndpoint(parts.Events);
        var stats = new StatsEndpoint(parts.Torrents, parts.Session);
        var reachability = new ReachabilityEndpoint(parts.Session);
        web.MapGet("/api/v1/events", (HttpContext context, CancellationToken _) => events.StreamAsync(context)).Described("Server-Sent Events: a snapshot, then added, changed, removed and stats")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        web.MapGet("/api/v1/stats", (HttpContext context, CancellationToken _) => stats.GetAsync(context)).Described("Totals over all torrents")
            .Produces<NodeStats>();
        web.MapGet("/api/v1/reachability", (HttpContext context, CancellationToken _) => reachability.GetAsync(context)).Described("The peer ports, their mappings on the router, and the external address with its source")
            .Produces<ReachabilityView>();

        var groups = new GroupEndpoints(parts.Login, trackerHttp, parts.Torrents, savePaths);
        web.MapGet("/api/v1/groups", (HttpContext context, CancellationToken _) => groups.ListAsync(context)).Described("The groups and files of the node user's tracker login")
            .Produces<GroupsView>();
        web.MapPost("/api/v1/groups/{group}/files/{infoHash}", (HttpContext context, CancellationToken _) => groups.GetFileAsync(context)).Described("Adds a group file to the node")
            .Accepts<GetGroupFileRequest>(isOptional: true, Json)
            .Produces<TorrentView>(StatusCodes.Status201Created)
            .Produces<TorrentView>();
    }

    /// <summary>The route's summary and its errors, for the API description.</summary>
    private static RouteHandlerBuilder Described(this RouteHandlerBuilder route, string summary) =>
        route.WithSummary(summary)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
}
