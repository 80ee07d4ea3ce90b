using System.Net;
using Microsoft.AspNetCore.Http;

namespace Shoal.Tracker.Http;

internal static class RemoteAddress
{
    /// <summary>The client's address, IPv4 as IPv4 even on a dual-mode socket.</summary>
    public static IPAddress Of(HttpContext context)
    {
        IPAddress address = context.Connection.RemoteIpAddress ?? IPAddress.IPv6None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
