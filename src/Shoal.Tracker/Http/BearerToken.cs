using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Api;

namespace Shoal.Tracker.Http;

/// <summary>The API's authentication: <c>Authorization: Bearer TOKEN</c>, the token of a login.</summary>
internal sealed class BearerToken(AccountService accounts)
{
    private const string Scheme = "Bearer ";

    /// <summary>The token and the user of its live session; a 401 when there is none.</summary>
    public async Task<(AccountUser User, string Token)> RequireAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length..].Trim() is not { Length: > 0 and <= 256 } token)
        {
            throw new ApiException(StatusCodes.Status401Unauthorized, "log in first: send Authorization: Bearer TOKEN (POST /api/sessions)");
        }

        AccountUser user = await accounts.AuthenticateAsync(token, context.RequestAborted).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status401Unauthorized, "the token is unknown, expired or logged out: log in again");
        return (user, token);
    }
}
