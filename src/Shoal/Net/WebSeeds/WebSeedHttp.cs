using System.Net;

namespace Shoal.Net.WebSeeds;

/// <summary>The HTTP client of a torrent's web seeds.</summary>
internal static class WebSeedHttp
{
    /// <summary>
    /// Bytes as the server stores them (no decompression: a compressed body is refused, not guessed at), few
    /// connections per server and redirects, a bounded header size. Timeouts are the requests' own, per read, so
    /// the client's overall one is off.
    /// </summary>
    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = WebSeedConnection.MaxRequestsInFlight,
            MaxAutomaticRedirections = 5,
            MaxResponseHeadersLength = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            UseCookies = false,
        };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"Shoal/{ShoalVersion.Version}");
        return http;
    }
}
