using Microsoft.AspNetCore.Http;
using Shoal.Metainfo;
using Shoal.Node.Groups;
using Shoal.Node.Torrents;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Node.Api;

/// <summary>
/// The Groups view's API: the groups of the node user's tracker login and their files, and adding a group file to
/// the node. The node asks the tracker with the login's token; the tracker decides what the user may see.
/// </summary>
internal sealed class GroupEndpoints(NodeLogin login, HttpClient http, NodeTorrents torrents, SavePaths savePaths)
{
    public async Task ListAsync(HttpContext context)
    {
        if (login.Current() is not { } current)
        {
            await ApiJson.WriteAsync(context, new GroupsView(false, null, null, null), NodeJsonContext.Api.GroupsView).ConfigureAwait(false);
            return;
        }

        TrackerAccountClient client = Client(current);
        GroupView[] groups = await AskTrackerAsync(async () =>
        {
            // The tracker lists every group, but shows files only to members: the user's own groups are those of /api/me.
            AccountInfo me = await client.GetAccountAsync(context.RequestAborted).ConfigureAwait(false);
            var memberOf = new HashSet<string>(me.Groups, StringComparer.Ordinal);
            GroupSummary[] summaries = [.. (await client.GetGroupsAsync(context.RequestAborted).ConfigureAwait(false)).Where(group => memberOf.Contains(group.Name))];
            var views = new GroupView[summaries.Length];
            for (int i = 0; i < summaries.Length; i++)
            {
                GroupFile[] files = await client.GetGroupFilesAsync(summaries[i].Name, context.RequestAborted).ConfigureAwait(false);
                views[i] = new GroupView(summaries[i].Name, summaries[i].Owner, summaries[i].Members, [.. files.Select(File)]);
            }

            return views;
        }).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, new GroupsView(true, current.Tracker.ToString(), current.Name, groups), NodeJsonContext.Api.GroupsView).ConfigureAwait(false);
    }

    /// <summary>Fetches the group file's .torrent with the login and adds it; its announces carry the login's passkey.</summary>
    public async Task GetFileAsync(HttpContext context)
    {
        LoginState current = login.Current()
            ?? throw new ApiException(StatusCodes.Status409Conflict, "the node's user is not logged in to a tracker: run 'shoal login NAME --tracker URL' on the node's machine");
        string group = (string)context.Request.RouteValues["group"]!;
        string infoHash = (string)context.Request.RouteValues["infoHash"]!;
        GetGroupFileRequest request = context.Request.ContentLength is null or 0 && !context.Request.HasJsonContentType()
            ? new GetGroupFileRequest(null, false)
            : await ApiJson.ReadAsync(context, NodeJsonContext.Api.GetGroupFileRequest).ConfigureAwait(false);
        byte[] bytes = await AskTrackerAsync(() => Client(current).GetGroupTorrentAsync(group, infoHash, context.RequestAborted)).ConfigureAwait(false);
        Torrent torrent;
        try
        {
            torrent = TorrentParser.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new ApiException(StatusCodes.Status502BadGateway, $"the tracker sent a .torrent that is not valid: {e.Message}");
        }

        (NodeTorrent added, bool created) = torrents.Add(torrent, bytes, savePaths.Resolve(request.SavePath), request.Paused);
        await ApiJson.WriteAsync(context, TorrentViews.From(added), NodeJsonContext.Api.TorrentView, created ? StatusCodes.Status201Created : StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static GroupFileView File(GroupFile file) =>
        new(file.InfoHashV1 ?? file.InfoHashV2 ?? "", file.Name, file.Size, file.Owner, file.Seeders, file.Leechers);

    /// <summary>
    /// A tracker's refusal keeps its status (403 not a member, 404 no such group or file) but for 401, which would
    /// read as the node refusing its own client: the login expired or was revoked, a conflict to resolve by logging in.
    /// No answer is 502.
    /// </summary>
    private static async Task<T> AskTrackerAsync<T>(Func<Task<T>> ask)
    {
        try
        {
            return await ask().ConfigureAwait(false);
        }
        catch (TrackerAccountException e)
        {
            int status = e.Status switch
            {
                System.Net.HttpStatusCode.Unauthorized => StatusCodes.Status409Conflict,
                { } refused when (int)refused is >= 400 and < 500 => (int)refused,
                _ => StatusCodes.Status502BadGateway,
            };
            throw new ApiException(status, e.Message);
        }
    }

    private TrackerAccountClient Client(LoginState current) => new(current.Tracker, http, current.Token);
}
