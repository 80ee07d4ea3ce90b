using Microsoft.AspNetCore.Http;
using Shoal.Tracker.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Http;

/// <summary>
/// The group routes under <c>/api/groups</c> (docs/tracker-api.md); every one needs a bearer token. Listings answer
/// one page (<see cref="PageRequest"/>).
/// </summary>
internal sealed class GroupEndpoints(GroupService groups, BearerToken bearer)
{
    public async Task CreateAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        NewGroup group = await ApiJson.ReadAsync<NewGroup>(context).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, await groups.CreateAsync(user, group, context.RequestAborted).ConfigureAwait(false), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context)
    {
        await bearer.RequireAsync(context).ConfigureAwait(false);
        PageRequest page = PageRequest.Of(context);
        await page.WriteAsync(context, await groups.ListAsync(page.Offset, page.PerPage, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await groups.DeleteAsync(user, Route(context, "group"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task RequestToJoinAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await groups.RequestToJoinAsync(user, Route(context, "group"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    public async Task RequestsAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        PageRequest page = PageRequest.Of(context);
        await page.WriteAsync(context, await groups.RequestsAsync(user, Route(context, "group"), page.Offset, page.PerPage, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public Task AcceptAsync(HttpContext context) => ResolveAsync(context, accept: true);

    public Task RejectAsync(HttpContext context) => ResolveAsync(context, accept: false);

    public async Task RemoveMemberAsync(HttpContext context)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await groups.RemoveMemberAsync(user, Route(context, "group"), Route(context, "user"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private async Task ResolveAsync(HttpContext context, bool accept)
    {
        (AccountUser user, _) = await bearer.RequireAsync(context).ConfigureAwait(false);
        await groups.ResolveRequestAsync(user, Route(context, "group"), Route(context, "user"), accept, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
