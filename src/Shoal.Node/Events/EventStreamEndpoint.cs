using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shoal.Node.Api;

namespace Shoal.Node.Events;

/// <summary><c>GET /api/v1/events</c>: each event as the producer posts it, the snapshot first, flushed at once, until the client leaves or is dropped.</summary>
internal sealed class EventStreamEndpoint(NodeEvents events)
{
    private static readonly ServerSentEvent Retry = ServerSentEvent.Retry(TimeSpan.FromSeconds(3));

    public async Task StreamAsync(HttpContext context)
    {
        using EventSubscription client = events.Subscribe()
            ?? throw new ApiException(StatusCodes.Status429TooManyRequests, $"{NodeEvents.MaxClients} event streams are open already: close one");
        // The node stopping ends the stream too; the server would otherwise wait for it before shutting down.
        CancellationToken stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, client.Ended, stopping);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
        try
        {
            await WriteAsync(context, Retry, ended.Token).ConfigureAwait(false);
            await foreach (ServerSentEvent item in client.Events.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                await WriteAsync(context, item, ended.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
        }
    }

    private static async Task WriteAsync(HttpContext context, ServerSentEvent item, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(item.Frame, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
