using Microsoft.AspNetCore.Http;

namespace Shoal.Node.Api;

/// <summary>Writes the API's answers and errors.</summary>
internal static class ApiJson
{
    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message), NodeJsonContext.Default.ApiError, cancellationToken: context.RequestAborted);
    }
}
