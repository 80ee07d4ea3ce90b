using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Shoal.Node.Api;

/// <summary>Reads the API's bodies and writes its answers and errors.</summary>
internal static class ApiJson
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        var invalid = new ApiException(StatusCodes.Status400BadRequest, "send a JSON object as the body");
        try
        {
            return await context.Request.ReadFromJsonAsync(type, context.RequestAborted).ConfigureAwait(false) ?? throw invalid;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            throw invalid;
        }
    }

    public static Task WriteAsync<T>(HttpContext context, T answer, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(answer, type, cancellationToken: context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, new ApiError(message), NodeJsonContext.Api.ApiError, status);
}
