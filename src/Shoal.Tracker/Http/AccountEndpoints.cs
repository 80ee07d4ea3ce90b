using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Http;

/// <summary>
/// <c>POST /api/users</c>, <c>POST /api/sessions</c> (log in), <c>DELETE /api/sessions/current</c>
/// (log out), <c>GET /api/me</c> and <c>PUT /api/me/password</c> (docs/tracker-api.md).
/// </summary>
internal sealed class AccountEndpoints(AccountService accounts, BearerToken bearer)
{
    public async Task CreateUserAsync(HttpContext context)
    {
        Credentials credentials = await ApiJson.ReadAsync<Credentials>(context).ConfigureAwait(false);
        await accounts.CreateUserAsync(credentials, RemoteAddress.Of(context), context.RequestAborted).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, new UserCreated(credentials.Name), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    public async Task LoginAsync(HttpContext context)
    {
        Credentials credentials = await ApiJson.ReadAsync<Credentials>(context).ConfigureAwait(false);
        LoginResult login = await accounts.LoginAsync(credentials, RemoteAddress.Of(context), context.RequestAborted).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, login).ConfigureAwait(false);
    }

    public async Task LogoutAsync(HttpContext context)
    {
        (_, string token) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await accounts.LogoutAsync(token, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task MeAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, await accounts.DescribeAsync(user, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task ChangePasswordAsync(HttpContext context)
    {
        (AccountUser user, string token) = await bearer.RequireAsync(context).ConfigureAwait(false);
        PasswordChange change = await ApiJson.ReadAsync<PasswordChange>(context).ConfigureAwait(false);
        await accounts.ChangePasswordAsync(user, token, change, RemoteAddress.Of(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
