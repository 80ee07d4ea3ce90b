using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Accounts;

namespace Shoal.Tracker.Http;

/// <summary>A group's files under <c>/api/groups/{group}/files</c> (docs/tracker-api.md): members only.</summary>
internal sealed class GroupFileEndpoints(GroupService groups, BearerToken bearer, int maxTorrentBytes)
{
    public async Task ListAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        PageRequest page = PageRequest.Of(context);
        await page.WriteAsync(context, await groups.FilesAsync(user, GroupEndpoints.Route(context, "group"), page.Offset, page.PerPage, context.RequestAborted).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    public async Task ShareAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        byte[] body = await TorrentRequests.ReadBodyAsync(context, maxTorrentBytes).ConfigureAwait(false);
        try
        {
            await ApiJson.WriteAsync(context, await groups.ShareAsync(user, GroupEndpoints.Route(context, "group"), body, context.RequestAborted).ConfigureAwait(false), StatusCodes.Status201Created).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw TorrentRequests.Invalid(e);
        }
    }

    public async Task TorrentFileAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        byte[] torrent = await groups.TorrentAsync(user, GroupEndpoints.Route(context, "group"), TorrentRequests.SwarmOf(context, "file"), context.RequestAborted).ConfigureAwait(false);
        await TorrentRequests.WriteAsync(context, torrent).ConfigureAwait(false);
    }

    public async Task StopSharingAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await groups.StopSharingAsync(user, GroupEndpoints.Route(context, "group"), TorrentRequests.SwarmOf(context, "file"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
