using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Metrics;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Http;

/// <summary>
/// <c>GET /announce</c> (BEP 3): compact <c>peers</c> (BEP 23) and <c>peers6</c> (BEP 7), or the
/// dictionary list for a client that asks for <c>compact=0</c>. The peer's address is the
/// connection's; the <c>ip</c> parameter is ignored so nobody can announce somebody else. Mapped at
/// <c>/announce</c> and at <c>/announce/{passkey}</c>, which group files need.
/// </summary>
internal sealed class HttpAnnounceEndpoint(TrackerService tracker, AddressRateLimiter limiter, int maxNumWant, TrackerMetrics metrics, ILogger logger)
{
    // Room for every key but the peers, so the body is written without growing its buffer.
    private const int KeysLength = 160;

    public async Task HandleAsync(HttpContext context)
    {
        IPAddress remote = RemoteAddress.Of(context);
        if (!limiter.TryAcquire(remote))
        {
            metrics.Announced(TrackerMetrics.Http, AnnounceResult.Refused);
            await BencodedResponse.WriteFailureAsync(context, limiter.Refusal(remote)).ConfigureAwait(false);
            return;
        }

        AnnounceRequest request;
        try
        {
            request = AnnounceRequestCodec.Parse(context.Request.QueryString.Value ?? "");
        }
        catch (TrackerProtocolException e)
        {
            TrackerLog.RequestRefused(logger, remote, e.Message);
            metrics.Announced(TrackerMetrics.Http, AnnounceResult.Error);
            await BencodedResponse.WriteFailureAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        AnnounceOutcome outcome = await tracker.AnnounceAsync(
            InfoHashKey.From(request.InfoHash), Passkey.Of(context), new PeerAddress(remote, request.Port), request.Left, request.Event, request.NumWant, PeerFamilies.Both, context.RequestAborted)
            .ConfigureAwait(false);
        if (outcome.Answer is not { } answer)
        {
            metrics.Announced(TrackerMetrics.Http, AnnounceResult.Refused);
            await BencodedResponse.WriteFailureAsync(context, outcome.FailureReason!).ConfigureAwait(false);
            return;
        }

        string? warning = request.NumWant > maxNumWant ? $"numwant is capped at {maxNumWant}" : null;
        var response = new CompactAnnounceResponse(tracker.IntervalSeconds, answer.Peers4, answer.Peers6)
        {
            MinInterval = tracker.MinIntervalSeconds,
            Complete = answer.Counts.Seeders,
            Incomplete = answer.Counts.Leechers,
            Downloaded = answer.Counts.Completed,
            WarningMessage = warning,
        };
        metrics.Announced(TrackerMetrics.Http, AnnounceResult.Ok);
        ReadOnlyMemory<byte> body = request.Compact ? EncodeCompact(response) : EncodeDictionaries(response);
        await BencodedResponse.WriteAsync(context, body).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> EncodeCompact(in CompactAnnounceResponse response)
    {
        var body = new ArrayBufferWriter<byte>(KeysLength + response.Peers4.Length + response.Peers6.Length);
        AnnounceResponseCodec.Write(body, response);
        return body.WrittenMemory;
    }

    // The rare client that asks for compact=0 gets BEP 3's ip/port dictionaries.
    private static byte[] EncodeDictionaries(in CompactAnnounceResponse response)
    {
        // The peer list wrote these bytes, so they are whole.
        var peers = new List<IPEndPoint>();
        _ = CompactInfo.TryReadPeers(response.Peers4.Span, AddressFamily.InterNetwork, peers);
        _ = CompactInfo.TryReadPeers(response.Peers6.Span, AddressFamily.InterNetworkV6, peers);
        var dictionaries = new AnnounceResponse
        {
            Interval = response.Interval,
            MinInterval = response.MinInterval,
            Complete = response.Complete,
            Incomplete = response.Incomplete,
            Peers = peers,
            WarningMessage = response.WarningMessage,
        };
        return AnnounceResponseCodec.Encode(dictionaries, compact: false);
    }
}
