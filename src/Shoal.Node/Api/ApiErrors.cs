using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shoal.Node.Api;

/// <summary>Turns an <see cref="ApiException"/> into its <c>{"error"}</c> answer, and a bug into a 500 that shows no stack trace.</summary>
internal sealed partial class ApiErrors(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiJson.WriteErrorAsync(context, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            LogFailed(logger, context.Request.Method, context.Request.Path, e);
            await ApiJson.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal error: see the node's log").ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, string method, string path, Exception exception);
}
