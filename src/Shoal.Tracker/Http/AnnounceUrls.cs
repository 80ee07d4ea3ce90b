using Microsoft.AspNetCore.Http;

namespace Shoal.Tracker.Http;

internal static class AnnounceUrls
{
    /// <summary>This tracker's HTTP announce URL as the client reached it, for magnet links.</summary>
    public static Uri Of(HttpRequest request) => new($"{request.Scheme}://{request.Host}/announce");
}
