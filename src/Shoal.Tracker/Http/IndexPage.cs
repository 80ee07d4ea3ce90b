using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Index;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Http;

/// <summary><c>GET /</c>: the file index as a plain HTML page with a search box and magnet links.</summary>
internal sealed class IndexPage(FileIndexService index, bool closed)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!FileIndexEndpoints.TryReadPaging(context.Request.Query, out string? search, out int page, out int perPage, out string error))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(error, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Uri announceUrl = AnnounceUrls.Of(context.Request);
        FilePage files = await index.SearchAsync(search, page, perPage, announceUrl, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Render(files, search, announceUrl, closed), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Render(FilePage files, string? search, Uri announceUrl, bool closed)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Shoal tracker</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;width:100%}th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em}
            </style></head><body>
            <h1>Shoal tracker</h1>
            """);
        html.Append("<p>Announce URL: <code>").Append(Encode(announceUrl.AbsoluteUri)).Append("</code> (HTTP, and UDP on the same port). ")
            .Append(closed ? "Only registered torrents are tracked." : "Any torrent is tracked.").Append("</p>\n");
        html.Append("<form method=\"get\" action=\"/\"><input type=\"search\" name=\"q\" value=\"").Append(Encode(search ?? ""))
            .Append("\" placeholder=\"Search by name\"> <button>Search</button></form>\n");
        html.Append("<p>").Append(files.Total).Append(files.Total == 1 ? " file" : " files").Append(search is null ? "" : $" matching “{Encode(search)}”").Append(".</p>\n");
        if (files.Files.Count > 0)
        {
            html.Append("<table><thead><tr><th>Name</th><th>Size</th><th>Seeders</th><th>Leechers</th><th>Completed</th><th>Get</th></tr></thead><tbody>\n");
            foreach (IndexedFile file in files.Files)
            {
                string hash = file.InfoHashV1 ?? file.InfoHashV2!;
                html.Append("<tr><td>").Append(Encode(file.Name)).Append("</td><td class=\"n\">").Append(ByteSize.Format(file.Size))
                    .Append("</td><td class=\"n\">").Append(file.Seeders).Append("</td><td class=\"n\">").Append(file.Leechers)
                    .Append("</td><td class=\"n\">").Append(file.Completed).Append("</td><td><a href=\"").Append(Encode(file.Magnet))
                    .Append("\">magnet</a> · <a href=\"/api/torrents/").Append(hash).Append(".torrent\">.torrent</a></td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        AppendPaging(html, files, search);
        html.Append("<p>Register a torrent: <code>shoal create PATH --tracker ").Append(Encode(announceUrl.AbsoluteUri))
            .Append(" --register</code>, or <code>POST /api/torrents</code> with the .torrent file as the body.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static void AppendPaging(StringBuilder html, FilePage files, string? search)
    {
        long pages = (files.Total + files.PerPage - 1) / files.PerPage;
        if (pages <= 1)
        {
            return;
        }

        string query = search is null ? "" : $"q={Uri.EscapeDataString(search)}&";
        html.Append("<p>Page ").Append(files.Page).Append(" of ").Append(pages);
        if (files.Page > 1)
        {
            html.Append(" · <a href=\"/?").Append(Encode(query)).Append("page=").Append(files.Page - 1).Append("\">previous</a>");
        }

        if (files.Page < pages)
        {
            html.Append(" · <a href=\"/?").Append(Encode(query)).Append("page=").Append(files.Page + 1).Append("\">next</a>");
        }

        html.Append("</p>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
