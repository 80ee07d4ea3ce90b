using Microsoft.AspNetCore.Http;

namespace Shoal.Tracker.Http;

internal static class Passkey
{
    public const string RouteValue = "passkey";

    /// <summary>The passkey of <c>/announce/{passkey}</c> or <c>/scrape/{passkey}</c>, if the request has one.</summary>
    public static string? Of(HttpContext context) => context.Request.RouteValues[RouteValue] as string;
}
