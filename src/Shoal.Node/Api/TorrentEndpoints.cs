using Microsoft.AspNetCore.Http;
using Shoal.Metainfo;
using Shoal.Node.Torrents;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary>The list, one torrent, its limits and files, pause, resume, recheck and delete, under <c>/api/v1/torrents</c>.</summary>
internal sealed class TorrentEndpoints(NodeTorrents torrents)
{
    public Task ListAsync(HttpContext context) =>
        ApiJson.WriteAsync(context, TorrentQuery.Parse(context.Request.Query).Apply(torrents.All), NodeJsonContext.Api.TorrentList);

    public Task GetAsync(HttpContext context) =>
        ApiJson.WriteAsync(context, TorrentDetailViews.From(Find(context)), NodeJsonContext.Api.TorrentDetails);

    public async Task PauseAsync(HttpContext context)
    {
        NodeTorrent torrent = Find(context);
        await torrents.PauseAsync(torrent).ConfigureAwait(false);
        await WriteAsync(context, torrent).ConfigureAwait(false);
    }

    public Task ResumeAsync(HttpContext context)
    {
        NodeTorrent torrent = Find(context);
        torrents.Resume(torrent);
        return WriteAsync(context, torrent);
    }

    /// <summary><c>PATCH /api/v1/torrents/{id}</c>: the torrent's own rate limits.</summary>
    public async Task PatchAsync(HttpContext context)
    {
        NodeTorrent torrent = Find(context);
        TorrentLimitsPatch patch = await ApiJson.ReadAsync(context, NodeJsonContext.Api.TorrentLimitsPatch).ConfigureAwait(false);
        long upload = patch.UploadLimit ?? torrent.UploadLimit;
        long download = patch.DownloadLimit ?? torrent.DownloadLimit;
        if (upload < 0 || download < 0)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "rate limits are bytes per second, 0 for unlimited: not negative");
        }

        torrents.SetLimits(torrent, upload, download);
        await GetAsync(context).ConfigureAwait(false);
    }

    /// <summary><c>PATCH /api/v1/torrents/{id}/files</c>: the priorities of the files listed; the others keep theirs.</summary>
    public async Task PatchFilesAsync(HttpContext context)
    {
        NodeTorrent torrent = Find(context);
        FilePrioritiesPatch patch = await ApiJson.ReadAsync(context, NodeJsonContext.Api.FilePrioritiesPatch).ConfigureAwait(false);
        TorrentHandle handle = torrent.Handle
            ?? throw new ApiException(StatusCodes.Status409Conflict, $"{torrent.Name} has no metadata yet: its files are not known");
        FilePriority[] priorities = [.. handle.FilePriorities];
        foreach (FilePriorityChange change in patch.Files ?? [])
        {
            if ((uint)change.Index >= (uint)priorities.Length || handle.Torrent.Files[change.Index].IsPadding)
            {
                throw new ApiException(StatusCodes.Status400BadRequest, $"{handle.Torrent.Name} has no file {change.Index}: indices are those of the torrent's files list");
            }

            priorities[change.Index] = FilePriorityNames.Parse(change.Priority);
        }

        try
        {
            torrents.SetFilePriorities(torrent, priorities);
        }
        catch (SessionException e)
        {
            throw new ApiException(StatusCodes.Status409Conflict, e.Message);
        }

        await GetAsync(context).ConfigureAwait(false);
    }

    public async Task RecheckAsync(HttpContext context)
    {
        NodeTorrent torrent = Find(context);
        if (torrent.Handle is null)
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"{torrent.Name} has no metadata yet: there is nothing to check");
        }

        await torrents.RecheckAsync(torrent).ConfigureAwait(false);
        await WriteAsync(context, torrent).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context)
    {
        string? text = context.Request.Query["deleteFiles"].FirstOrDefault();
        bool deleteFiles = false;
        if (text is not null && !bool.TryParse(text, out deleteFiles))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"deleteFiles '{text}' is not true or false");
        }

        await torrents.RemoveAsync(Find(context), deleteFiles).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Task WriteAsync(HttpContext context, NodeTorrent torrent) =>
        ApiJson.WriteAsync(context, TorrentViews.From(torrent), NodeJsonContext.Api.TorrentView);

    private NodeTorrent Find(HttpContext context)
    {
        string id = (string)context.Request.RouteValues["id"]!;
        return torrents.Find(id) ?? throw new ApiException(StatusCodes.Status404NotFound, $"no torrent has the info-hash {id}");
    }
}
