using Microsoft.AspNetCore.Http;

namespace Shoal.Node.Api;

/// <summary>Turns an <see cref="ApiException"/> into its <c>{"error"}</c> answer.</summary>
internal static class ApiErrors
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiJson.WriteErrorAsync(context, e.Status, e.Message).ConfigureAwait(false);
        }
    }
}
