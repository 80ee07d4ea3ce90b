using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Shoal.Node.Web;

/// <summary>
/// Serves the web UI's embedded files at their own paths (no catch-all, so unknown API paths stay the API's 404s),
/// with headers that keep the page from running anything but its own scripts or being framed by another site.
/// </summary>
internal static class WebUi
{
    // No inline scripts or styles, nothing from elsewhere; the event stream and API calls go to this origin only.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Map(WebApplication web)
    {
        foreach (WebAsset asset in WebAssets.Load())
        {
            // Pages and scripts, not API: kept out of /api/v1/openapi.json.
            web.MapMethods(asset.Route, [HttpMethods.Get, HttpMethods.Head], context => WriteAsync(context, asset)).ExcludeFromDescription();
        }
    }

    private static Task WriteAsync(HttpContext context, WebAsset asset)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load, so a node upgraded in place never serves a page with yesterday's scripts.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }
}
