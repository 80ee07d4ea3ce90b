using System.Net;
using Microsoft.AspNetCore.Http;
using Shoal.Node.Api;

namespace Shoal.Node.Security;

/// <summary>
/// Refuses requests whose Host header names anything but the listening address, <c>localhost</c> or a configured
/// name: a page on a rebinding domain (DNS rebinding) reaches the node under its own name, and gets 403.
/// </summary>
internal sealed class HostCheck(IPAddress listening, IReadOnlyCollection<string> names)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        string host = context.Request.Host.Host;
        return IsAllowed(host)
            ? next(context)
            : ApiJson.WriteErrorAsync(context, StatusCodes.Status403Forbidden, $"this node does not answer to the host name '{host}': add it to the setting Node:HostNames");
    }

    private bool IsAllowed(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || names.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // An address typed as digits cannot be rebound; a wildcard bind answers on every local address.
        return IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address)
            && (address.Equals(listening) || listening.Equals(IPAddress.Any) || listening.Equals(IPAddress.IPv6Any) || (IPAddress.IsLoopback(address) && IPAddress.IsLoopback(listening)));
    }
}
