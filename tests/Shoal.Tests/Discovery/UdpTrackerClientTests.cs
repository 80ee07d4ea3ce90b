using System.Buffers.Binary;
using System.Diagnostics;
using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;
using static Shoal.Tests.Discovery.TrackerClientFixtures;

namespace Shoal.Tests.Discovery;

public sealed class UdpTrackerClientTests
{
    [Fact]
    public async Task Announce_connects_then_gets_the_peers_back()
    {
        using var tracker = new TestUdpTracker { Peers = Peers };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);

        AnnounceResponse response = await client.AnnounceAsync(Request() with { NumWant = 50, Key = "0000beef" }, CancellationToken.None);

        Assert.Null(response.FailureReason);
        Assert.Equal(Peers, response.Peers);
        Assert.Equal(1800, response.Interval);
        Assert.Equal((4, 3), (response.Complete, response.Incomplete));
        Assert.Collection(
            tracker.Requests,
            r => Assert.IsType<UdpConnectRequest>(r),
            r =>
            {
                UdpAnnounceRequest announce = Assert.IsType<UdpAnnounceRequest>(r);
                Assert.Equal(1, announce.ConnectionId);
                Assert.Equal(Request().InfoHash, announce.InfoHash);
                Assert.Equal(Request().PeerId.ToArray(), announce.PeerId.ToArray());
                Assert.Equal((10L, 20L, 1000L), (announce.Uploaded, announce.Downloaded, announce.Left));
                Assert.Equal(AnnounceEvent.Started, announce.Event);
                Assert.Equal((50, 0xBEEFu, (ushort)6881), (announce.NumWant, announce.Key, announce.Port));
            });
    }

    [Fact]
    public async Task Scrape_gets_the_numbers_in_order()
    {
        using var tracker = new TestUdpTracker();
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);

        ScrapeResponse response = await client.ScrapeAsync([Hash(1), Hash(2)], CancellationToken.None);

        Assert.Null(response.FailureReason);
        Assert.Equal(new ScrapeStats(10, 20, 30), response.Files[Hash(1)]);
        Assert.Equal(new ScrapeStats(11, 21, 31), response.Files[Hash(2)]);
    }

    [Fact]
    public async Task An_error_packet_comes_back_as_the_failure_reason()
    {
        using var tracker = new TestUdpTracker
        {
            Override = (request, _) => request is UdpAnnounceRequest ? Error(request.TransactionId, "torrent not registered") : null,
        };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal("torrent not registered", response.FailureReason);
    }

    [Fact]
    public async Task A_dropped_packet_is_sent_again()
    {
        using var tracker = new TestUdpTracker { Peers = Peers, Override = (_, index) => index == 0 ? [] : null };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, FastUdp);
        var watch = Stopwatch.StartNew();

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(Peers, response.Peers);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"retransmitted after {watch.Elapsed}");
        Assert.Equal(2, tracker.Count<UdpConnectRequest>());
        Assert.Equal(tracker.Requests[0].TransactionId, tracker.Requests[1].TransactionId);
    }

    [Fact]
    public async Task A_tracker_that_never_answers_is_a_TrackerException_after_the_last_attempt()
    {
        using var tracker = new TestUdpTracker { Override = (_, _) => [] };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, new UdpTrackerOptions { BaseTimeout = TimeSpan.FromMilliseconds(100), MaxAttempts = 3 });
        var watch = Stopwatch.StartNew();

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));

        Assert.Contains("no answer to 3 connect requests", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, tracker.Count<UdpConnectRequest>());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(650), $"gave up after {watch.Elapsed} (100 + 200 + 400 ms expected)");
    }

    [Fact]
    public async Task An_answer_with_another_transaction_id_is_ignored()
    {
        using var tracker = new TestUdpTracker
        {
            Peers = Peers,
            Override = (request, _) => request is UdpConnectRequest connect ? Connect(connect.TransactionId + 1, 99) : null,
        };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, FastUdp);

        await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
        Assert.Equal(2, tracker.Count<UdpConnectRequest>());
        Assert.Equal(0, tracker.Count<UdpAnnounceRequest>());
    }

    [Fact]
    public async Task Garbage_is_a_TrackerException()
    {
        using var tracker = new TestUdpTracker
        {
            Override = (request, _) =>
            {
                byte[] packet = new byte[12];
                BinaryPrimitives.WriteInt32BigEndian(packet, 7); // no such action
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(4), request.TransactionId);
                return packet;
            },
        };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);

        TrackerException e = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
        Assert.Contains("not a tracker response", e.Message, StringComparison.Ordinal);
        Assert.Single(tracker.Requests);
    }

    [Fact]
    public async Task A_wrong_action_is_a_TrackerException()
    {
        using var tracker = new TestUdpTracker { Override = (request, _) => request is UdpAnnounceRequest ? Connect(request.TransactionId, 5) : null };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);

        await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task The_connection_id_is_reused_within_a_minute_and_renewed_after()
    {
        using var tracker = new TestUdpTracker { Peers = Peers };
        var time = new ManualTimeProvider();
        var client = new UdpTrackerClient(tracker.Url, time, AnsweringUdp);

        await client.AnnounceAsync(Request(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await client.ScrapeAsync([Hash(1)], CancellationToken.None);
        Assert.Equal(1, tracker.Count<UdpConnectRequest>());

        time.Advance(TimeSpan.FromSeconds(2));
        await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(2, tracker.Count<UdpConnectRequest>());
        Assert.Equal([1L, 1L, 2L], tracker.Requests.Select(ConnectionIdOf).Where(id => id != UdpTrackerCodec.ProtocolId).ToArray());
    }

    [Fact]
    public async Task A_connection_id_the_tracker_refuses_is_dropped_and_the_request_sent_again_with_a_new_one()
    {
        // A restarted tracker no longer knows the ids it gave out before: id 1 is refused from the second announce on.
        using var tracker = new TestUdpTracker
        {
            Peers = Peers,
            Override = (request, index) => request is UdpAnnounceRequest { ConnectionId: 1 } && index > 1 ? Error(request.TransactionId, "unknown connection id") : null,
        };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);
        await client.AnnounceAsync(Request(), CancellationToken.None);

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Null(response.FailureReason);
        Assert.Equal(Peers, response.Peers);
        Assert.Equal([1L, 1L, 2L], tracker.Requests.Select(ConnectionIdOf).Where(id => id != UdpTrackerCodec.ProtocolId).ToArray());
    }

    [Fact]
    public async Task After_an_error_the_next_request_connects_again_and_an_error_to_a_new_id_is_the_answer()
    {
        using var tracker = new TestUdpTracker
        {
            Override = (request, _) => request is UdpAnnounceRequest ? Error(request.TransactionId, "torrent not registered") : null,
        };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, AnsweringUdp);
        await client.AnnounceAsync(Request(), CancellationToken.None);

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal("torrent not registered", response.FailureReason);
        Assert.Equal([1L, 2L], tracker.Requests.Select(ConnectionIdOf).Where(id => id != UdpTrackerCodec.ProtocolId).ToArray());
    }

    [Fact]
    public async Task A_request_left_unanswered_drops_the_connection_id_so_the_next_attempt_connects_again()
    {
        // A tracker that forgot id 1 and stays silent about it, as one that drops bad ids before answering does.
        using var tracker = new TestUdpTracker
        {
            Peers = Peers,
            Override = (request, index) => request is UdpAnnounceRequest { ConnectionId: 1 } && index > 1 ? [] : null,
        };
        // Long enough for the first announce to be answered on a busy machine; the silent one then costs 2 s.
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System, new UdpTrackerOptions { BaseTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 2 });
        await client.AnnounceAsync(Request(), CancellationToken.None);

        AnnounceResponse response = await client.AnnounceAsync(Request(), CancellationToken.None);

        Assert.Equal(Peers, response.Peers);
        Assert.Equal([1L, 1L, 2L], tracker.Requests.Select(ConnectionIdOf).Where(id => id != UdpTrackerCodec.ProtocolId).ToArray());
    }

    [Fact]
    public async Task A_closed_port_is_a_TrackerException()
    {
        var client = new UdpTrackerClient(new Uri($"udp://127.0.0.1:{ClosedUdpPort()}"), TimeProvider.System, FastUdp);

        await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_is_not_a_TrackerException()
    {
        using var tracker = new TestUdpTracker { Override = (_, _) => [] };
        var client = new UdpTrackerClient(tracker.Url, TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AnnounceAsync(Request(), cts.Token));
    }

    [Theory]
    [InlineData("http://127.0.0.1:80/announce")]
    [InlineData("udp://127.0.0.1")]
    public void Only_udp_urls_with_a_port_are_accepted(string url) =>
        Assert.Throws<ArgumentException>(() => new UdpTrackerClient(new Uri(url), TimeProvider.System));

    [Theory]
    [InlineData(null, 0u)]
    [InlineData("0000beef", 0xBEEFu)]
    [InlineData("DEADBEEF", 0xDEADBEEFu)]
    public void The_key_is_read_as_hex_when_it_is(string? key, uint expected) =>
        Assert.Equal(expected, UdpTrackerClient.KeyOf(key));

    [Fact]
    public void Other_keys_are_hashed_stably() =>
        Assert.Equal(UdpTrackerClient.KeyOf("not hex at all"), UdpTrackerClient.KeyOf("not hex at all"));

    private static long ConnectionIdOf(UdpTrackerMessage message) => message switch
    {
        UdpAnnounceRequest announce => announce.ConnectionId,
        UdpScrapeRequest scrape => scrape.ConnectionId,
        _ => UdpTrackerCodec.ProtocolId,
    };

    private static byte[] Error(int transactionId, string message)
    {
        byte[] packet = new byte[200];
        return packet[..UdpTrackerCodec.WriteError(packet, new UdpErrorResponse(transactionId, message))];
    }

    private static byte[] Connect(int transactionId, long connectionId)
    {
        byte[] packet = new byte[UdpTrackerCodec.ConnectResponseLength];
        UdpTrackerCodec.WriteConnectResponse(packet, new UdpConnectResponse(transactionId, connectionId));
        return packet;
    }
}
