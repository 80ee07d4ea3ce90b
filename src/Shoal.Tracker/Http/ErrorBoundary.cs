using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shoal.Tracker.Http;

/// <summary>
/// No exception reaches a client: it is logged, and the client gets a BEP 3 failure (announce,
/// scrape) or a JSON error, without a stack trace.
/// </summary>
internal sealed class ErrorBoundary(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            TrackerLog.RequestFailed(logger, RemoteAddress.Of(context), e);
            if (context.Response.HasStarted)
            {
                return;
            }

            context.Response.Clear();
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new { error = "the tracker failed to answer; try again later" }, JsonSerializerOptions.Web).ConfigureAwait(false);
            }
            else
            {
                await BencodedResponse.WriteFailureAsync(context, "the tracker failed to answer; try again later").ConfigureAwait(false);
            }
        }
    }
}
