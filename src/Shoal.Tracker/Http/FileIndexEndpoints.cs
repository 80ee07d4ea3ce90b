using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Shoal.Discovery.Trackers.Index;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Http;

/// <summary>
/// The file index's JSON API: <c>POST /api/torrents</c> registers a .torrent (the body),
/// <c>GET /api/files?q=&amp;page=&amp;perPage=</c> lists registered files, and
/// <c>GET /api/torrents/{infohash}.torrent</c> returns a registered .torrent file.
/// </summary>
internal sealed class FileIndexEndpoints(FileIndexService index, int maxTorrentBytes)
{
    private const int MaxSearchLength = 200;

    public async Task RegisterAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxTorrentBytes;
        }

        if (context.Request.ContentLength > maxTorrentBytes)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"a .torrent file is at most {maxTorrentBytes} bytes").ConfigureAwait(false);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, maxTorrentBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"a .torrent file is at most {maxTorrentBytes} bytes").ConfigureAwait(false);
            return;
        }

        if (body.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "send the .torrent file as the request body").ConfigureAwait(false);
            return;
        }

        IndexedFile file;
        bool created;
        try
        {
            (file, created) = await index.RegisterAsync(body, AnnounceUrls.Of(context.Request), context.RequestAborted).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            const string Prefix = "not a valid torrent file: ";
            string reason = e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? e.Message[Prefix.Length..] : e.Message;
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"not a valid .torrent file: {reason}").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(file, JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context)
    {
        if (!TryReadPaging(context.Request.Query, out string? search, out int page, out int perPage, out string? error))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        FilePage result = await index.SearchAsync(search, page, perPage, AnnounceUrls.Of(context.Request), context.RequestAborted).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(result, JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task TorrentFileAsync(HttpContext context)
    {
        string name = context.Request.RouteValues["file"] as string ?? "";
        string hex = name.EndsWith(".torrent", StringComparison.OrdinalIgnoreCase) ? name[..^".torrent".Length] : name;
        if (hex.Length is not (40 or 64) || !hex.All(char.IsAsciiHexDigit))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "give a v1 (40 hex digits) or v2 (64 hex digits) info-hash").ConfigureAwait(false);
            return;
        }

        StoredTorrent? torrent = await index.FindAsync(InfoHashKey.Read(Convert.FromHexString(hex)), context.RequestAborted).ConfigureAwait(false);
        if (torrent is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "no registered torrent has that info-hash").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-bittorrent";
        context.Response.ContentLength = torrent.TorrentBytes.Length;
        await context.Response.Body.WriteAsync(torrent.TorrentBytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads <c>q</c>, <c>page</c> (from 1) and <c>perPage</c> (1 to <see cref="FilePage.MaxPerPage"/>).</summary>
    public static bool TryReadPaging(IQueryCollection query, out string? search, out int page, out int perPage, out string error)
    {
        search = query["q"].ToString().Trim() is { Length: > 0 } text ? text : null;
        page = 1;
        perPage = FilePage.DefaultPerPage;
        error = "";
        if (search is { Length: > MaxSearchLength })
        {
            error = $"a search is at most {MaxSearchLength} characters";
            return false;
        }

        if (query.ContainsKey("page") && (!int.TryParse(query["page"], out page) || page < 1 || page > 1_000_000))
        {
            error = "page must be a whole number from 1";
            return false;
        }

        if (query.ContainsKey("perPage") && (!int.TryParse(query["perPage"], out perPage) || perPage < 1 || perPage > FilePage.MaxPerPage))
        {
            error = $"perPage must be a whole number from 1 to {FilePage.MaxPerPage}";
            return false;
        }

        return true;
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message }, JsonSerializerOptions.Web, context.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                throw new BadHttpRequestException("body too large", StatusCodes.Status413PayloadTooLarge);
            }

            body.Write(chunk, 0, read);
        }

        return body.ToArray();
    }
}
