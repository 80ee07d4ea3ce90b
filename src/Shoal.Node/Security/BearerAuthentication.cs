using Microsoft.AspNetCore.Http;
using Shoal.Node.Api;

namespace Shoal.Node.Security;

/// <summary>Every <c>/api/v1</c> and <c>/metrics</c> request carries <c>Authorization: Bearer TOKEN</c>, or gets a 401 and nothing else.</summary>
internal sealed class BearerAuthentication(ApiToken token)
{
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!(context.Request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal) || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)) || IsAuthorized(context.Request))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "send the node's token (DATA/api-token) as Authorization: Bearer TOKEN");
    }

    private bool IsAuthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null
            && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && token.Matches(header.AsSpan(Scheme.Length).Trim());
    }
}
