using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Net.Streams;
using Shoal.Net.Utp;
using Shoal.Swarm;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Utp;

public class UtpSocketTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_sockets_on_loopback_move_32_mib_both_ways_and_close()
    {
        var accepted = new TaskCompletionSource<UtpStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using UtpSocket server = UtpSocket.Bind(0, stream =>
        {
            accepted.TrySetResult(stream);
            return Task.CompletedTask;
        });
        await using UtpSocket client = UtpSocket.Bind(0, accept: null);
        using var cancel = new CancellationTokenSource(Patience);

        using UtpStream outgoing = await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), cancel.Token);
        using UtpStream incoming = await accepted.Task.WaitAsync(cancel.Token);
        Assert.Equal(PeerTransport.Utp, outgoing.Transport);
        Assert.False(outgoing.IsEncrypted);
        Assert.Equal(IPAddress.Loopback, outgoing.Remote.Address);
        Assert.Equal(IPAddress.Loopback, incoming.Remote.Address);

        const int size = 32 << 20;
        byte[] fromClient = UtpConnectionTests.Bytes(size, 1);
        byte[] fromServer = UtpConnectionTests.Bytes(size, 2);
        Task<byte[]> atServer = ReadExactlyAsync(incoming, size, cancel.Token);
        Task<byte[]> atClient = ReadExactlyAsync(outgoing, size, cancel.Token);
        await Task.WhenAll(
            SendInChunksAsync(outgoing, fromClient, cancel.Token),
            SendInChunksAsync(incoming, fromServer, cancel.Token));

        Assert.Equal(SHA256.HashData(fromClient), SHA256.HashData(await atServer));
        Assert.Equal(SHA256.HashData(fromServer), SHA256.HashData(await atClient));

        // Closing one side ends the other's stream after everything it sent.
        outgoing.Dispose();
        Assert.Equal(0, await incoming.ReceiveAsync(new byte[16], cancel.Token));
    }

    /// <summary>With the default options (path MTU discovery up to 32 KiB on loopback) and with packets fixed at 1400 bytes.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_one_way_256_mib_transfer_on_loopback_reports_its_rate(bool probing)
    {
        UtpSocketOptions options = probing ? new UtpSocketOptions() : new UtpSocketOptions { LoopbackMtuCeiling = 0 };
        var accepted = new TaskCompletionSource<UtpStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using UtpSocket server = UtpSocket.Bind(0, stream =>
        {
            accepted.TrySetResult(stream);
            return Task.CompletedTask;
        }, options);
        await using UtpSocket client = UtpSocket.Bind(0, accept: null, options);
        using var cancel = new CancellationTokenSource(Patience * 2);
        using UtpStream outgoing = await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), cancel.Token);
        using UtpStream incoming = await accepted.Task.WaitAsync(cancel.Token);

        // Every wake-up of a reader or writer is a thread-pool item, as with sockets; the test host blocks pool threads of
        // its own, and on two cores a starved pool (the reader's wake-up waiting the half second the pool takes to
        // grow) measured 250 MB/s instead of 1.5 GB/s.
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 16), minIo);
        const long total = 256L << 20;
        byte[] block = UtpConnectionTests.Bytes(64 * 1024, 3);
        var clock = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        TimeSpan paused = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes();
        double longestGap = 0;
        long gapAt = 0;
        Task<long> reading = Task.Run(async () =>
        {
            byte[] buffer = new byte[64 * 1024];
            long got = 0;
            long last = Stopwatch.GetTimestamp();
            while (got < total)
            {
                int read = await incoming.ReceiveAsync(buffer, cancel.Token);
                Assert.NotEqual(0, read);
                got += read;
                long now = Stopwatch.GetTimestamp();
                double gap = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
                if (gap > longestGap)
                {
                    longestGap = gap;
                    gapAt = got;
                }

                last = now;
            }

            return got;
        });
        for (long sent = 0; sent < total; sent += block.Length)
        {
            await outgoing.SendAsync(block, cancel.Token);
        }

        Assert.Equal(total, await reading);
        clock.Stop();
        output.WriteLine($"256 MiB one way over loopback uTP, packets of {outgoing.Connection.PacketSize} bytes at the end: {total / 1e6 / clock.Elapsed.TotalSeconds:F0} MB/s ({clock.Elapsed.TotalSeconds:F2} s)");
        output.WriteLine($"longest wait between reads {longestGap:F1} ms at byte {gapAt:N0}, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, {(GC.GetTotalAllocatedBytes() - allocated) / 1e6:F1} MB allocated");
        output.WriteLine($"sender {outgoing.Connection.Counters}, cwnd {outgoing.Connection.CongestionWindow:N0}, rtt {outgoing.Connection.RoundTripTime} us; receiver {incoming.Connection.Counters}");
        ThreadPool.SetMinThreads(minWorkers, minIo);
    }

    [Fact]
    public async Task A_connect_to_a_socket_that_does_not_accept_is_refused()
    {
        await using UtpSocket refusing = UtpSocket.Bind(0, accept: null);
        await using UtpSocket client = UtpSocket.Bind(0, accept: null);

        SocketException refused = await Assert.ThrowsAsync<SocketException>(() =>
            client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, refusing.LocalEndPoint.Port), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, client.ConnectionCount);
    }

    [Fact]
    public async Task A_connect_nobody_answers_can_be_cancelled_and_leaves_nothing_behind()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using UtpSocket client = UtpSocket.Bind(0, accept: null);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ConnectAsync((IPEndPoint)silent.LocalEndPoint!, cancel.Token));
        Assert.Equal(0, client.ConnectionCount);
    }

    [Fact]
    public async Task Datagrams_that_are_not_utp_go_to_the_fallback_and_send_goes_out_as_is()
    {
        var got = new TaskCompletionSource<(byte[], IPEndPoint)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using UtpSocket one = UtpSocket.Bind(0, accept: null);
        await using UtpSocket two = UtpSocket.Bind(0, accept: null);
        two.Fallback = (datagram, from) => got.TrySetResult((datagram.ToArray(), from));

        byte[] ping = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"u8.ToArray();
        one.Send(ping, new IPEndPoint(IPAddress.Loopback, two.LocalEndPoint.Port));

        (byte[] datagram, IPEndPoint from) = await got.Task.WaitAsync(Patience);
        Assert.Equal(ping, datagram);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, one.LocalEndPoint.Port), from);
    }

    [Fact]
    public async Task A_socket_bound_by_its_owner_is_served_as_given()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var accepted = new TaskCompletionSource<UtpStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new UtpSocket(listener, stream =>
        {
            accepted.TrySetResult(stream);
            return Task.CompletedTask;
        });
        await using UtpSocket client = UtpSocket.Bind(0, accept: null);

        using UtpStream outgoing = await client.ConnectAsync(server.LocalEndPoint, CancellationToken.None);
        await outgoing.SendAsync("hello"u8.ToArray(), CancellationToken.None);
        using UtpStream incoming = await accepted.Task.WaitAsync(Patience);
        await incoming.WaitForDataAsync(CancellationToken.None);
        byte[] buffer = new byte[5];
        Assert.Equal(5, await incoming.ReceiveAsync(buffer, CancellationToken.None));
        Assert.Equal("hello"u8.ToArray(), buffer);
    }

    private static async Task SendInChunksAsync(UtpStream stream, byte[] data, CancellationToken cancellationToken)
    {
        // Uneven chunk sizes, as wire messages are.
        var random = new Random(data.Length);
        for (int offset = 0; offset < data.Length;)
        {
            int chunk = Math.Min(random.Next(1, 40_000), data.Length - offset);
            await stream.SendAsync(data.AsMemory(offset, chunk), cancellationToken);
            offset += chunk;
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(UtpStream stream, int size, CancellationToken cancellationToken)
    {
        byte[] into = new byte[size];
        int got = 0;
        while (got < size)
        {
            await stream.WaitForDataAsync(cancellationToken);
            int read = await stream.ReceiveAsync(into.AsMemory(got, Math.Min(size - got, 16 * 1024)), cancellationToken);
            Assert.NotEqual(0, read);
            got += read;
        }

        return into;
    }
}
