using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Tracker.Api;
using Shoal.Tracker.Logging;

namespace Shoal.Tracker.Http;

/// <summary>
/// No exception reaches a client: a refusal (<see cref="ApiException"/>) becomes its JSON error;
/// anything else is logged, and the client gets a BEP 3 failure (announce, scrape) or a JSON error,
/// without a stack trace.
/// </summary>
internal sealed class ErrorBoundary(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ApiJson.WriteErrorAsync(context, e.Status, e.Message).ConfigureAwait(false);
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
                await ApiJson.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "the tracker failed to answer; try again later").ConfigureAwait(false);
            }
            else
            {
                await BencodedResponse.WriteFailureAsync(context, "the tracker failed to answer; try again later").ConfigureAwait(false);
            }
        }
    }
}
