using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Api;
using Shoal.TrackerApi;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Http;

/// <summary>The API's JSON: bodies in, answers and <c>{"error"}</c> out (System.Text.Json web defaults).</summary>
internal static class ApiJson
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>The body as <typeparamref name="T"/>; a 400 when it is missing, too large or not that JSON.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var invalid = new ApiException(StatusCodes.Status400BadRequest, $"send a JSON {typeof(T).Name} as the body");
        var tooLarge = new ApiException(StatusCodes.Status413PayloadTooLarge, $"a JSON body is at most {MaxBodyBytes} bytes");
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw tooLarge;
        }

        // Kestrel counts the bytes actually read, so a chunked body without a length is held to the limit too.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return await context.Request.ReadFromJsonAsync(TrackerApiJson.Info<T>(), context.RequestAborted).ConfigureAwait(false) ?? throw invalid;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw tooLarge;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            throw invalid;
        }
    }

    public static Task WriteAsync<T>(HttpContext context, T answer, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(answer, TrackerApiJson.Info<T>(), cancellationToken: context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) => WriteAsync(context, new ApiError(message), status);
}
