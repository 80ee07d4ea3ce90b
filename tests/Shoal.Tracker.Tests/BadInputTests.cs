using System.Buffers.Binary;
using System.Text;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tracker.Tests.Udp;

namespace Shoal.Tracker.Tests;

/// <summary>Whatever strangers send, each gets a BEP failure or nothing, and the tracker keeps serving.</summary>
public sealed class BadInputTests
{
    private static readonly string Hash20 = new('a', 20);
    private static readonly string Peer20 = new('p', 20);

    [Theory]
    [InlineData("", "missing info_hash")]
    [InlineData("info_hash=abc", "info_hash must be 20 bytes, not 3")]
    [InlineData("info_hash={H}&peer_id=short&port=1&uploaded=0&downloaded=0&left=0", "peer_id must be 20 bytes, not 5")]
    [InlineData("info_hash={H}&peer_id={P}&port=0&uploaded=0&downloaded=0&left=0", "port must be between 1 and 65535")]
    [InlineData("info_hash={H}&peer_id={P}&port=99999&uploaded=0&downloaded=0&left=0", "port must be between 1 and 65535")]
    [InlineData("info_hash={H}&peer_id={P}&port=1&uploaded=-5&downloaded=0&left=0", "uploaded must not be negative")]
    [InlineData("info_hash={H}&peer_id={P}&port=1&uploaded=0&downloaded=0&left=-1", "left must not be negative")]
    [InlineData("info_hash={H}&peer_id={P}&port=1&uploaded=0&downloaded=0&left=0&numwant=-3", "numwant must not be negative")]
    [InlineData("info_hash={H}&peer_id={P}&port=1&uploaded=0&downloaded=0&left=0&numwant=99999999999999999999", "numwant is not a valid number")]
    [InlineData("info_hash={H}&peer_id={P}&port=1&uploaded=0&downloaded=0&left=0&event=exploded", "unknown event")]
    [InlineData("info_hash={H}&info_hash={H}&peer_id={P}&port=1&uploaded=0&downloaded=0&left=0", "info_hash given more than once")]
    [InlineData("info_hash=%zz", "")]
    public async Task Malformed_announces_get_a_failure_reason(string query, string reason)
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        string url = "announce?" + query.Replace("{H}", Hash20, StringComparison.Ordinal).Replace("{P}", Peer20, StringComparison.Ordinal);
        using HttpResponseMessage response = await tracker.Http.GetAsync(new Uri(url, UriKind.Relative));
        AnnounceResponse parsed = AnnounceResponseCodec.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(parsed.FailureReason);
        Assert.Contains(reason, parsed.FailureReason, StringComparison.Ordinal);
        await AssertStillServesAsync(tracker);
    }

    [Fact]
    public async Task Oversized_requests_and_scrapes_are_refused()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        using HttpResponseMessage longQuery = await tracker.Http.GetAsync(new Uri("announce?x=" + new string('a', 7000), UriKind.Relative));
        Assert.Contains("longer than", AnnounceResponseCodec.Parse(await longQuery.Content.ReadAsByteArrayAsync()).FailureReason, StringComparison.Ordinal);
        using HttpResponseMessage hugeLine = await tracker.Http.GetAsync(new Uri("announce?x=" + new string('a', 20_000), UriKind.Relative));
        Assert.False(hugeLine.IsSuccessStatusCode);

        Assert.Contains("full scrape", await FailureAsync(tracker, "scrape"), StringComparison.Ordinal);
        Assert.Contains("info_hash must be 20 bytes", await FailureAsync(tracker, "scrape?info_hash=abc"), StringComparison.Ordinal);
        string tooMany = string.Join('&', Enumerable.Range(0, 100).Select(i => "info_hash=" + Uri.EscapeDataString($"{i:D20}")));
        Assert.NotNull(await FailureAsync(tracker, "scrape?" + tooMany));
        await AssertStillServesAsync(tracker);
    }

    [Fact]
    public async Task Garbage_truncated_and_forged_udp_packets_are_dropped_or_answered_with_an_error()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        using var udp = new RawUdp(tracker.Port);

        // Too short to carry a transaction id, or a connect without the protocol id: silence.
        foreach (byte[] junk in new[] { Array.Empty<byte>(), new byte[3], new byte[15], new byte[16], Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n") })
        {
            await udp.SendAsync(junk);
            Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
        }

        long id = await udp.ConnectAsync();
        byte[] truncated = RawUdp.Announce(id, 77, RunningTracker.RandomHash(), 7001)[..60];
        byte[] error = await udp.AskAsync(truncated);
        Assert.Equal((3, 77), (BinaryPrimitives.ReadInt32BigEndian(error), BinaryPrimitives.ReadInt32BigEndian(error.AsSpan(4))));

        byte[] unknownAction = RawUdp.Announce(id, 78, RunningTracker.RandomHash(), 7001);
        BinaryPrimitives.WriteInt32BigEndian(unknownAction.AsSpan(8), 9);
        await udp.SendAsync(unknownAction);
        Assert.Null(await udp.ReceiveAsync(TimeSpan.FromMilliseconds(200)));

        byte[] negativeLeft = RawUdp.Announce(id, 79, RunningTracker.RandomHash(), 7001, left: -1);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(await udp.AskAsync(negativeLeft)));
        byte[] portZero = RawUdp.Announce(id, 80, RunningTracker.RandomHash(), 0);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(await udp.AskAsync(portZero)));
        byte[] hugeNumWant = RawUdp.Announce(id, 81, RunningTracker.RandomHash(), 7001, numWant: int.MaxValue);
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(await udp.AskAsync(hugeNumWant)));

        await AssertStillServesAsync(tracker);
    }

    [Fact]
    public async Task Thousands_of_random_and_mutated_packets_and_queries_do_not_stop_the_tracker()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { RequestsPerMinutePerAddress = 0 });
        using var udp = new RawUdp(tracker.Port);
        var random = new Random(20261122);
        long id = await udp.ConnectAsync();
        byte[] valid = RawUdp.Announce(id, 1, RunningTracker.RandomHash(), 7001);
        for (int i = 0; i < 5000; i++)
        {
            byte[] packet = i % 2 == 0 ? new byte[random.Next(0, 200)] : (byte[])valid.Clone();
            if (i % 2 == 0)
            {
                random.NextBytes(packet);
            }
            else
            {
                packet[random.Next(packet.Length)] = (byte)random.Next(256);
                packet = packet[..random.Next(8, packet.Length + 1)];
            }

            await udp.SendAsync(packet);
        }

        string[] parts = ["info_hash=", "peer_id=", "port=", "left=", "numwant=", "event=", "compact=", "%", "%4", "&", "=", "-1", "99999999999999999999", Hash20, "\u00ff"];
        for (int i = 0; i < 300; i++)
        {
            string query = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => parts[random.Next(parts.Length)]));
            using HttpResponseMessage response = await tracker.Http.GetAsync(new Uri("announce?" + Uri.EscapeDataString(query).Replace("%3D", "=", StringComparison.Ordinal).Replace("%26", "&", StringComparison.Ordinal), UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode);
            AnnounceResponse parsed = AnnounceResponseCodec.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.NotNull(parsed.FailureReason);
        }

        await AssertStillServesAsync(tracker);
    }

    private static async Task<string?> FailureAsync(RunningTracker tracker, string relative)
    {
        using HttpResponseMessage response = await tracker.Http.GetAsync(new Uri(relative, UriKind.Relative));
        return AnnounceResponseCodec.Parse(await response.Content.ReadAsByteArrayAsync()).FailureReason;
    }

    private static async Task AssertStillServesAsync(RunningTracker tracker)
    {
        InfoHash hash = RunningTracker.RandomHash();
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 9001), CancellationToken.None);
        UdpTrackerClient udp = tracker.UdpClient();
        AnnounceResponse response = await udp.AnnounceAsync(RunningTracker.Request(hash, 9002), CancellationToken.None);
        Assert.Single(response.Peers);
    }
}
