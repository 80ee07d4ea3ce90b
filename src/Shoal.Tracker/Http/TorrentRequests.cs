using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Shoal.Tracker.Api;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Http;

/// <summary>What the API's .torrent routes share: an uploaded .torrent body, and an info-hash in the path.</summary>
internal static class TorrentRequests
{
    /// <summary>The request body: a .torrent of at most <paramref name="maxTorrentBytes"/> bytes (else 413; 400 when empty).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, int maxTorrentBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxTorrentBytes;
        }

        var tooLarge = new ApiException(StatusCodes.Status413PayloadTooLarge, $"a .torrent file is at most {maxTorrentBytes} bytes");
        if (context.Request.ContentLength > maxTorrentBytes)
        {
            throw tooLarge;
        }

        using var body = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > maxTorrentBytes)
                {
                    throw tooLarge;
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            throw tooLarge;
        }

        return body.Length > 0 ? body.ToArray() : throw new ApiException(StatusCodes.Status400BadRequest, "send the .torrent file as the request body");
    }

    /// <summary>A 400 saying why the uploaded .torrent is not valid.</summary>
    public static ApiException Invalid(FormatException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        const string Prefix = "not a valid torrent file: ";
        string reason = e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? e.Message[Prefix.Length..] : e.Message;
        return new ApiException(StatusCodes.Status400BadRequest, $"not a valid .torrent file: {reason}");
    }

    /// <summary>The swarm named by a route value such as <c>HEX.torrent</c> or <c>HEX</c> (v1 or v2 info-hash); a 400 otherwise.</summary>
    public static InfoHashKey SwarmOf(HttpContext context, string routeValue)
    {
        string name = context.Request.RouteValues[routeValue] as string ?? "";
        string hex = name.EndsWith(".torrent", StringComparison.OrdinalIgnoreCase) ? name[..^".torrent".Length] : name;
        return hex.Length is 40 or 64 && hex.All(char.IsAsciiHexDigit)
            ? InfoHashKey.Read(Convert.FromHexString(hex))
            : throw new ApiException(StatusCodes.Status400BadRequest, "give a v1 (40 hex digits) or v2 (64 hex digits) info-hash");
    }

    /// <summary>Writes a .torrent file as the answer.</summary>
    public static async Task WriteAsync(HttpContext context, byte[] torrent)
    {
        context.Response.ContentType = "application/x-bittorrent";
        context.Response.ContentLength = torrent.Length;
        await context.Response.Body.WriteAsync(torrent, context.RequestAborted).ConfigureAwait(false);
    }
}
