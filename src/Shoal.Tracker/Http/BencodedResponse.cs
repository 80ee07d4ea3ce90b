using Microsoft.AspNetCore.Http;
using Shoal.Discovery.Trackers;

namespace Shoal.Tracker.Http;

/// <summary>Writes a bencoded body with its length, as BitTorrent clients expect from a tracker.</summary>
internal static class BencodedResponse
{
    public static Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>A BEP 3 <c>failure reason</c>, with status 200 so that every client reads it.</summary>
    public static Task WriteFailureAsync(HttpContext context, string reason) =>
        WriteAsync(context, AnnounceResponseCodec.Encode(AnnounceResponse.Failure(reason), compact: true));
}
