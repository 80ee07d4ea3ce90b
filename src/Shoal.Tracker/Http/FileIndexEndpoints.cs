using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Api;
using Shoal.Tracker.Index;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Http;

/// <summary>
/// The file index's JSON API: <c>POST /api/torrents</c> registers a .torrent (the body),
/// <c>GET /api/files?q=&amp;page=&amp;perPage=</c> lists registered files, and
/// <c>GET /api/torrents/{infohash}.torrent</c> returns a registered .torrent file.
/// </summary>
internal sealed class FileIndexEndpoints(FileIndexService index, BearerToken bearer, int maxTorrentBytes, bool openRegistration)
{
    private const int MaxSearchLength = 200;

    public async Task RegisterAsync(HttpContext context)
    {
        var registrant = new Registrant(await RegistrantIdAsync(context).ConfigureAwait(false), RemoteAddress.Of(context));
        await index.AdmitAsync(registrant, context.RequestAborted).ConfigureAwait(false);
        byte[] body = await TorrentRequests.ReadBodyAsync(context, maxTorrentBytes).ConfigureAwait(false);
        IndexedFile file;
        bool created;
        try
        {
            (file, created) = await index.RegisterAsync(body, registrant, AnnounceUrls.Of(context.Request), context.RequestAborted).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw TorrentRequests.Invalid(e);
        }

        await ApiJson.WriteAsync(context, file, created ? StatusCodes.Status201Created : StatusCodes.Status200OK).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context)
    {
        if (!TryReadPaging(context.Request.Query, out string? search, out int page, out int perPage, out string? error))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, error);
        }

        FilePage result = await index.SearchAsync(search, page, perPage, AnnounceUrls.Of(context.Request), context.RequestAborted).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, result).ConfigureAwait(false);
    }

    public async Task TorrentFileAsync(HttpContext context)
    {
        StoredTorrent torrent = await index.FindAsync(TorrentRequests.SwarmOf(context, "file"), context.RequestAborted).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, "no registered torrent has that info-hash");
        await TorrentRequests.WriteAsync(context, torrent.TorrentBytes).ConfigureAwait(false);
    }

    /// <summary>Reads <c>q</c>, <c>page</c> (from 1) and <c>perPage</c> (1 to <see cref="FilePage.MaxPerPage"/>).</summary>
    public static bool TryReadPaging(IQueryCollection query, out string? search, out int page, out int perPage, out string error)
    {
        ArgumentNullException.ThrowIfNull(query);
        search = query["q"].ToString().Trim() is { Length: > 0 } text ? text : null;
        bool valid = PageRequest.TryRead(query, out PageRequest request, out error);
        (page, perPage) = (request.Page, request.PerPage);
        if (valid && search is { Length: > MaxSearchLength })
        {
            error = $"a search is at most {MaxSearchLength} characters";
            return false;
        }

        return valid;
    }

    // A login is needed unless registration is open to anyone; one that is sent is checked either way, so its user's limits apply.
    private async Task<long?> RegistrantIdAsync(HttpContext context)
    {
        if (openRegistration && context.Request.Headers.Authorization.Count == 0)
        {
            return null;
        }

        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        return user.Id;
    }
}
