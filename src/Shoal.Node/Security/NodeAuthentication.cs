using Microsoft.AspNetCore.Http;
using Shoal.Node.Api;

namespace Shoal.Node.Security;

/// <summary>
/// Every request but <c>/login</c> carries <c>Authorization: Bearer TOKEN</c> or the browser session cookie, or
/// gets a 401 and nothing else. A state-changing request made with the cookie also needs the CSRF header.
/// </summary>
internal sealed class NodeAuthentication(ApiToken token, BrowserSession browser)
{
    public const string LoginPath = "/login";
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        if (request.Path.Equals(LoginPath, StringComparison.Ordinal) || HasBearerToken(request))
        {
            return next(context);
        }

        if (browser.HasSession(request))
        {
            return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || BrowserSession.HasCsrfHeader(request)
                ? next(context)
                : ApiJson.WriteErrorAsync(context, StatusCodes.Status403Forbidden, $"send the {BrowserSession.CsrfCookie} cookie's value as the {BrowserSession.CsrfHeader} header");
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "send the node's token (DATA/api-token) as Authorization: Bearer TOKEN, or open the web: link that shoal node printed");
    }

    private bool HasBearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null
            && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && token.Matches(header.AsSpan(Scheme.Length).Trim());
    }
}
