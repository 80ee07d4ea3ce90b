using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Bencoding;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Http;

/// <summary>
/// <c>GET /announce</c> (BEP 3): compact <c>peers</c> (BEP 23) and <c>peers6</c> (BEP 7), or the
/// dictionary list for a client that asks for <c>compact=0</c>. The peer's address is the
/// connection's; the <c>ip</c> parameter is ignored so nobody can announce somebody else. Mapped at
/// <c>/announce</c> and at <c>/announce/{passkey}</c>, which group files need.
/// </summary>
internal sealed class HttpAnnounceEndpoint(TrackerService tracker, AddressRateLimiter limiter, int maxNumWant, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        IPAddress remote = RemoteAddress.Of(context);
        if (!limiter.TryAcquire(remote))
        {
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
            await BencodedResponse.WriteFailureAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        AnnounceOutcome outcome = await tracker.AnnounceAsync(
            InfoHashKey.From(request.InfoHash), Passkey.Of(context), new PeerAddress(remote, request.Port), request.Left, request.Event, request.NumWant, PeerFamilies.Both, context.RequestAborted)
            .ConfigureAwait(false);
        if (outcome.Answer is not { } answer)
        {
            await BencodedResponse.WriteFailureAsync(context, outcome.FailureReason!).ConfigureAwait(false);
            return;
        }

        string? warning = request.NumWant > maxNumWant ? $"numwant is capped at {maxNumWant}" : null;
        ReadOnlyMemory<byte> body = request.Compact ? EncodeCompact(answer, warning) : EncodeDictionaries(answer, warning);
        await BencodedResponse.WriteAsync(context, body).ConfigureAwait(false);
    }

    // Written key by key in sorted order rather than through a dictionary tree: this is the tracker's hottest path.
    private ReadOnlyMemory<byte> EncodeCompact(AnnounceAnswer answer, string? warning)
    {
        var buffer = new ArrayBufferWriter<byte>(160 + answer.Peers4.Length + answer.Peers6.Length);
        var writer = new BencodeWriter(buffer);
        writer.WriteDictionaryStart();
        writer.WriteString("complete"u8);
        writer.WriteInteger(answer.Counts.Seeders);
        writer.WriteString("downloaded"u8);
        writer.WriteInteger(answer.Counts.Completed);
        writer.WriteString("incomplete"u8);
        writer.WriteInteger(answer.Counts.Leechers);
        writer.WriteString("interval"u8);
        writer.WriteInteger(tracker.IntervalSeconds);
        writer.WriteString("min interval"u8);
        writer.WriteInteger(tracker.MinIntervalSeconds);
        writer.WriteString("peers"u8);
        writer.WriteString(answer.Peers4.Span);
        if (!answer.Peers6.IsEmpty)
        {
            writer.WriteString("peers6"u8);
            writer.WriteString(answer.Peers6.Span);
        }

        if (warning is not null)
        {
            writer.WriteString("warning message"u8);
            writer.WriteString(warning);
        }

        writer.WriteEnd();
        return buffer.WrittenMemory;
    }

    private byte[] EncodeDictionaries(AnnounceAnswer answer, string? warning)
    {
        // The swarm wrote these lists, so they are whole.
        var peers = new List<IPEndPoint>(answer.PeerCount);
        _ = CompactInfo.TryReadPeers(answer.Peers4.Span, AddressFamily.InterNetwork, peers);
        _ = CompactInfo.TryReadPeers(answer.Peers6.Span, AddressFamily.InterNetworkV6, peers);
        var response = new AnnounceResponse
        {
            Interval = tracker.IntervalSeconds,
            MinInterval = tracker.MinIntervalSeconds,
            Complete = answer.Counts.Seeders,
            Incomplete = answer.Counts.Leechers,
            Peers = peers,
            WarningMessage = warning,
        };
        return AnnounceResponseCodec.Encode(response, compact: false);
    }
}
