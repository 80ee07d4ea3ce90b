using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Metrics;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Udp;

/// <summary>
/// Answers one BEP 15 packet: connect, announce or scrape. Packets too short or garbled to carry a
/// transaction id, and requests over the rate limit (a bad connection id counts too), are dropped
/// (answering them would make the tracker a reflector); a readable request with a bad field or
/// connection id within the limit gets an error packet.
/// </summary>
internal sealed class UdpRequestHandler(TrackerService tracker, ConnectionIds connectionIds, AddressRateLimiter limiter, TrackerMetrics metrics, ILogger logger)
{
    public const string UnknownConnection = "unknown or expired connection id: connect again";

    /// <summary>The largest answer: an announce with the most IPv6 peers a tracker returns.</summary>
    public static int MaxResponseLength(int maxNumWant) => UdpTrackerCodec.AnnounceResponseHeaderLength + (maxNumWant * CompactInfo.IPv6PeerLength);

    /// <summary>
    /// Writes the answer to <paramref name="packet"/> into <paramref name="response"/>; returns its length, 0 to send nothing.
    /// Completes at once when the store does (the in-memory swarms): no async step per packet.
    /// </summary>
    public ValueTask<int> HandleAsync(ReadOnlyMemory<byte> packet, IPEndPoint remote, Memory<byte> response, CancellationToken cancellationToken)
    {
        UdpRequestHeader header;
        try
        {
            header = UdpTrackerCodec.ReadRequestHeader(packet.Span);
            if (header.Action == UdpTrackerAction.Connect)
            {
                UdpConnectRequest connect = UdpTrackerCodec.ReadConnectRequest(packet.Span);
                return ValueTask.FromResult(UdpTrackerCodec.WriteConnectResponse(response.Span, new UdpConnectResponse(connect.TransactionId, connectionIds.Issue(remote.Address))));
            }
        }
        catch (TrackerProtocolException e)
        {
            TrackerLog.UdpDropped(logger, remote, e.Message);
            return ValueTask.FromResult(0);
        }

        // Limited before any error is answered: a flood with a forged source address and a bad
        // connection id would otherwise turn the tracker into a reflector.
        if (!limiter.TryAcquire(remote.Address))
        {
            TrackerLog.UdpDropped(logger, remote, "over the rate limit");
            CountAnnounce(header, AnnounceResult.Refused);
            return ValueTask.FromResult(0);
        }

        if (!connectionIds.IsValid(header.ConnectionId, remote.Address))
        {
            CountAnnounce(header, AnnounceResult.Error);
            return ValueTask.FromResult(Error(response, header.TransactionId, UnknownConnection));
        }

        // Only reading the request throws this: the store's answer is written as it comes.
        try
        {
            return header.Action == UdpTrackerAction.Announce
                ? AnnounceAsync(UdpTrackerCodec.ReadAnnounceFields(packet.Span), remote, response, cancellationToken)
                : ScrapeAsync(UdpTrackerCodec.ReadScrapeRequest(packet.Span), response, cancellationToken);
        }
        catch (TrackerProtocolException e)
        {
            CountAnnounce(header, AnnounceResult.Error);
            return ValueTask.FromResult(Error(response, header.TransactionId, e.Message));
        }
    }

    private ValueTask<int> AnnounceAsync(UdpAnnounceFields request, IPEndPoint remote, Memory<byte> response, CancellationToken cancellationToken)
    {
        if (request.Port == 0)
        {
            metrics.Announced(TrackerMetrics.Udp, AnnounceResult.Error);
            return ValueTask.FromResult(Error(response, request.TransactionId, "port must be between 1 and 65535"));
        }

        // BEP 15: an answer over IPv6 carries 18-byte IPv6 entries, over IPv4 6-byte IPv4 entries.
        PeerFamilies family = IPv4Mapping.FamilyOf(remote.Address) == AddressFamily.InterNetwork
            ? PeerFamilies.IPv4
            : PeerFamilies.IPv6;
        int? numWant = request.NumWant < 0 ? null : request.NumWant;
        // BEP 15 carries no passkey: a group file's swarm is refused over UDP.
        ValueTask<AnnounceOutcome> answered = tracker.AnnounceAsync(
            new InfoHashKey(request.InfoHash), null, new PeerAddress(remote.Address, request.Port), request.Left, request.Event, numWant, family, cancellationToken);
        return answered.IsCompletedSuccessfully
            ? ValueTask.FromResult(Answer(answered.Result, request.TransactionId, family, response))
            : AnsweredAsync(answered, request.TransactionId, family, response);
    }

    private async ValueTask<int> AnsweredAsync(ValueTask<AnnounceOutcome> answered, int transactionId, PeerFamilies family, Memory<byte> response) =>
        Answer(await answered.ConfigureAwait(false), transactionId, family, response);

    private int Answer(AnnounceOutcome outcome, int transactionId, PeerFamilies family, Memory<byte> response)
    {
        if (outcome.Answer is not { } answer)
        {
            metrics.Announced(TrackerMetrics.Udp, AnnounceResult.Refused);
            return Error(response, transactionId, outcome.FailureReason!);
        }

        metrics.Announced(TrackerMetrics.Udp, AnnounceResult.Ok);
        ReadOnlySpan<byte> peers = family == PeerFamilies.IPv4 ? answer.Peers4.Span : answer.Peers6.Span;
        return UdpTrackerCodec.WriteAnnounceResponse(response.Span, transactionId, tracker.IntervalSeconds, answer.Counts.Leechers, answer.Counts.Seeders, peers);
    }

    private async ValueTask<int> ScrapeAsync(UdpScrapeRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        IReadOnlyList<SwarmCounts> counts = await tracker.ScrapeAsync([.. request.InfoHashes.Select(InfoHashKey.From)], null, cancellationToken).ConfigureAwait(false);
        ScrapeStats[] stats = [.. counts.Select(count => count.ToScrapeStats())];
        return UdpTrackerCodec.WriteScrapeResponse(response.Span, new UdpScrapeResponse(request.TransactionId, stats));
    }

    private void CountAnnounce(UdpRequestHeader header, AnnounceResult result)
    {
        if (header.Action == UdpTrackerAction.Announce)
        {
            metrics.Announced(TrackerMetrics.Udp, result);
        }
    }

    private static int Error(Memory<byte> response, int transactionId, string message) =>
        UdpTrackerCodec.WriteError(response.Span, new UdpErrorResponse(transactionId, message));
}
