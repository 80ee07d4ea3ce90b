using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Http;

/// <summary>
/// <c>GET /scrape</c> and <c>/scrape/{passkey}</c> with one or more <c>info_hash</c> (BEP 48). A full
/// scrape is refused.
/// </summary>
internal sealed class HttpScrapeEndpoint(TrackerService tracker, AddressRateLimiter limiter, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        IPAddress remote = RemoteAddress.Of(context);
        if (!limiter.TryAcquire(remote))
        {
            await BencodedResponse.WriteFailureAsync(context, limiter.Refusal(remote)).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<InfoHash> infoHashes;
        try
        {
            infoHashes = ScrapeRequestCodec.Parse(context.Request.QueryString.Value ?? "");
        }
        catch (TrackerProtocolException e)
        {
            TrackerLog.RequestRefused(logger, remote, e.Message);
            await BencodedResponse.WriteFailureAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        if (infoHashes.Count == 0)
        {
            await BencodedResponse.WriteFailureAsync(context, "a full scrape is not offered: give one or more info_hash").ConfigureAwait(false);
            return;
        }

        IReadOnlyList<SwarmCounts> counts = await tracker.ScrapeAsync([.. infoHashes.Select(InfoHashKey.From)], Passkey.Of(context), context.RequestAborted).ConfigureAwait(false);
        var files = new Dictionary<InfoHash, ScrapeStats>(infoHashes.Count);
        for (int i = 0; i < infoHashes.Count; i++)
        {
            files[infoHashes[i]] = counts[i].ToScrapeStats();
        }

        await BencodedResponse.WriteAsync(context, ScrapeResponseCodec.Encode(new ScrapeResponse { Files = files })).ConfigureAwait(false);
    }
}
