using Microsoft.AspNetCore.Http;
using Shoal.Session;

namespace Shoal.Node.Api;

/// <summary><c>GET /api/v1/reachability</c>: how peers reach the node now (ports, their mappings, the external address).</summary>
internal sealed class ReachabilityEndpoint(ShoalSession session)
{
    public Task GetAsync(HttpContext context) =>
        ApiJson.WriteAsync(context, ReachabilityView.From(session), NodeJsonContext.Api.ReachabilityView);
}
