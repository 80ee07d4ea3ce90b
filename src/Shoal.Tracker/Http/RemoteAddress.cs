using System.Net;
using Microsoft.AspNetCore.Http;
using Shoal.Primitives;

namespace Shoal.Tracker.Http;

internal static class RemoteAddress
{
    /// <summary>The client's address, IPv4 as IPv4 even on a dual-mode socket.</summary>
    public static IPAddress Of(HttpContext context) => IPv4Mapping.Unmap(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
}
