using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tests.Net;

namespace Shoal.Tracker.Tests.Udp;

public sealed class UdpTrackerTests
{
    [Fact]
    public async Task Udp_and_http_clients_share_swarms_and_scrape()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        InfoHash hash = RunningTracker.RandomHash();
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7001, left: 0), CancellationToken.None);

        UdpTrackerClient udp = tracker.UdpClient();
        AnnounceResponse response = await udp.AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(response.Peers));
        Assert.Equal((1, 1, 30), (response.Complete, response.Incomplete, response.Interval));

        await udp.AnnounceAsync(RunningTracker.Request(hash, 7002, left: 0, AnnounceEvent.Completed), CancellationToken.None);
        ScrapeResponse scrape = await udp.ScrapeAsync([hash, RunningTracker.RandomHash()], CancellationToken.None);
        Assert.Null(scrape.FailureReason);
        Assert.Equal(new ScrapeStats(2, 1, 0), scrape.Files[hash]);
    }

    [Fact]
    public async Task Over_IPv6_the_answer_carries_IPv6_peers()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(listen: IPAddress.IPv6Any);
        InfoHash hash = RunningTracker.RandomHash();
        var udp6 = new UdpTrackerClient(new Uri($"udp://[::1]:{tracker.Port}/announce"), TimeProvider.System, new UdpTrackerOptions { BaseTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 2 });
        await udp6.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        await tracker.HttpClient().AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);
        AnnounceResponse response = await udp6.AnnounceAsync(RunningTracker.Request(hash, 7003), CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7001), Assert.Single(response.Peers));
    }

    [Fact]
    public async Task Connection_ids_expire_and_cannot_be_forged()
    {
        var time = new ManualTimeProvider();
        await using RunningTracker tracker = await RunningTracker.StartAsync(time: time);
        using var socket = new RawUdp(tracker.Port);
        long id = await socket.ConnectAsync();

        Assert.Equal(1, Action(await socket.AskAsync(RawUdp.Announce(id, 5, RunningTracker.RandomHash(), 7001))));
        Assert.Equal(3, Action(await socket.AskAsync(RawUdp.Announce(id ^ 1, 6, RunningTracker.RandomHash(), 7001))));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, Action(await socket.AskAsync(RawUdp.Announce(id, 7, RunningTracker.RandomHash(), 7001))));
        time.Advance(TimeSpan.FromSeconds(120));
        byte[] expired = await socket.AskAsync(RawUdp.Announce(id, 8, RunningTracker.RandomHash(), 7001));
        Assert.Equal((3, 8), (Action(expired), BinaryPrimitives.ReadInt32BigEndian(expired.AsSpan(4))));
        Assert.Contains("connect again", System.Text.Encoding.UTF8.GetString(expired.AsSpan(8)), StringComparison.Ordinal);

        // An id is bound to the client's address: one made for another address is refused.
        long fresh = await socket.ConnectAsync();
        Assert.Equal(1, Action(await socket.AskAsync(RawUdp.Announce(fresh, 9, RunningTracker.RandomHash(), 7001))));
        Assert.Equal(3, Action(await socket.AskAsync(RawUdp.Announce(fresh + 1, 10, RunningTracker.RandomHash(), 7001))));
    }

    [Fact]
    public async Task Bad_connection_ids_are_answered_only_within_the_rate_limit()
    {
        const int Packets = 2000;
        const int PerMinute = 10;
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { RequestsPerMinutePerAddress = PerMinute });
        using var socket = new RawUdp(tracker.Port);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Answers are read as they come, so the socket's buffer never drops one.
        var connectAnswered = new TaskCompletionSource();
        Task<(int Errors, bool Connected)> answers = CountAnswersAsync(socket, connectAnswered);
        for (int i = 0; i < Packets; i++)
        {
            await socket.SendAsync(RawUdp.Announce(12345, i, RunningTracker.RandomHash(), 7001));
        }

        // A connect is always answered; once its answer is in, the flood's answers have been sent, and
        // any still on the way arrive well within the quiet second. On a loaded machine the tracker's full
        // receive buffer may drop the connect itself, so it is sent again until answered, as a client would.
        byte[] connect = new byte[UdpTrackerCodec.ConnectRequestLength];
        UdpTrackerCodec.WriteConnectRequest(connect, new UdpConnectRequest(-1));
        for (int attempt = 0; attempt < 120 && !connectAnswered.Task.IsCompleted; attempt++)
        {
            await socket.SendAsync(connect);
            await Task.WhenAny(connectAnswered.Task, Task.Delay(250));
        }

        (int errors, bool connected) = await answers;
        int bound = PerMinute + (int)clock.Elapsed.TotalSeconds + 1;
        Console.WriteLine($"{Packets} packets with a bad connection id at --rate-limit {PerMinute}: {errors} answered in {clock.ElapsedMilliseconds} ms");
        Assert.True(errors <= bound, $"{errors} of {Packets} bad packets were answered (at most {bound} allowed)");
        Assert.True(connected);
    }

    [Fact]
    public void A_connection_id_belongs_to_one_address()
    {
        var ids = new Tracker.Udp.ConnectionIds(TimeProvider.System);
        long id = ids.Issue(IPAddress.Parse("192.0.2.1"));
        Assert.True(ids.IsValid(id, IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.False(ids.IsValid(id, IPAddress.Parse("192.0.2.2")));
        Assert.False(new Tracker.Udp.ConnectionIds(TimeProvider.System).IsValid(id, IPAddress.Parse("192.0.2.1")));
    }

    private static int Action(byte[] response) => BinaryPrimitives.ReadInt32BigEndian(response);

    private static async Task<(int Errors, bool Connected)> CountAnswersAsync(RawUdp socket, TaskCompletionSource connectAnswered)
    {
        int errors = 0;
        bool connected = false;
        while (await socket.ReceiveAsync(TimeSpan.FromSeconds(connected ? 1 : 30)) is { } answer)
        {
            errors += Action(answer) == 3 ? 1 : 0;
            if (Action(answer) == 0)
            {
                connected = true;
                connectAnswered.TrySetResult();
            }
        }

        return (errors, connected);
    }
}

/// <summary>A UDP socket speaking raw BEP 15 to the tracker, for requests no well-behaved client sends.</summary>
internal sealed class RawUdp : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _tracker;

    public RawUdp(int port) => _tracker = new IPEndPoint(IPAddress.Loopback, port);

    public static byte[] Announce(long connectionId, int transactionId, InfoHash hash, int port, int numWant = -1, long left = 1000)
    {
        byte[] packet = new byte[UdpTrackerCodec.AnnounceRequestLength];
        UdpTrackerCodec.WriteAnnounceRequest(packet, new UdpAnnounceRequest(connectionId, transactionId, hash, RunningTracker.PeerId(port), 0, left, 0, AnnounceEvent.None, 0, 0, numWant, (ushort)port));
        return packet;
    }

    public async Task<long> ConnectAsync()
    {
        byte[] packet = new byte[UdpTrackerCodec.ConnectRequestLength];
        UdpTrackerCodec.WriteConnectRequest(packet, new UdpConnectRequest(42));
        return UdpTrackerCodec.ReadConnectResponse(await AskAsync(packet)).ConnectionId;
    }

    public async Task<byte[]> AskAsync(byte[] packet)
    {
        await SendAsync(packet);
        return await ReceiveAsync(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("the tracker did not answer");
    }

    public Task SendAsync(byte[] packet) => _udp.SendAsync(packet, _tracker).AsTask();

    /// <summary>The next packet, or null when none comes within <paramref name="wait"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return (await _udp.ReceiveAsync(timeout.Token)).Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _udp.Dispose();
}
