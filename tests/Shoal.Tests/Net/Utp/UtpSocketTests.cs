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
        byte[] fromClient = TempFolder.RandomBytes(size, 1);
        byte[] fromServer = TempFolder.RandomBytes(size, 2);
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
        byte[] block = TempFolder.RandomBytes(64 * 1024, 3);
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

    [Fact]
    public async Task A_peer_whose_selective_acks_are_not_a_multiple_of_4_bytes_is_heard_as_libtorrent_sends_them()
    {
        // libtorrent 2.0 sizes its selective ack to the packets it holds out of order, (span + 7) / 8 bytes, and puts it
        // on every packet while a hole lasts, its data too. Dropping those packets left its requests unacked until it
        // timed the connection out (Shoal → libtorrent over uTP stalled after a loss).
        var accepted = new TaskCompletionSource<UtpStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using UtpSocket server = UtpSocket.Bind(0, stream =>
        {
            accepted.TrySetResult(stream);
            return Task.CompletedTask;
        });
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        const ushort Id = 4000;

        void Send(UtpType type, ushort seq, ushort ack, ReadOnlySpan<byte> sack, ReadOnlySpan<byte> payload)
        {
            byte[] datagram = new byte[UtpPacket.HeaderSize + (sack.IsEmpty ? 0 : 2 + sack.Length) + payload.Length];
            var header = new UtpHeader
            {
                Type = type,
                ConnectionId = type == UtpType.Syn ? Id : (ushort)(Id + 1),
                Timestamp = 1,
                WindowSize = 1 << 20,
                SeqNr = seq,
                AckNr = ack,
            };
            UtpPacket.Write(datagram, header, default);
            int offset = UtpPacket.HeaderSize;
            if (!sack.IsEmpty)
            {
                datagram[1] = UtpPacket.SelectiveAckExtension;
                datagram[offset++] = 0;
                datagram[offset++] = (byte)sack.Length;
                sack.CopyTo(datagram.AsSpan(offset));
                offset += sack.Length;
            }

            payload.CopyTo(datagram.AsSpan(offset));
            peer.SendTo(datagram, to);
        }

        async Task<UtpHeader> ReceiveAsync(Func<UtpHeader, bool> wanted)
        {
            byte[] buffer = new byte[2048];
            while (true)
            {
                SocketReceiveFromResult got = await peer.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
                if (UtpPacket.TryRead(buffer.AsSpan(0, got.ReceivedBytes), out UtpHeader header, out _, out _) && wanted(header))
                {
                    return header;
                }
            }
        }

        Send(UtpType.Syn, 100, 0, default, default);
        UtpHeader synAck = await ReceiveAsync(h => h.Type == UtpType.State && h.AckNr == 100);
        Send(UtpType.Data, 101, (ushort)(synAck.SeqNr - 1), default, "a"u8);
        using UtpStream stream = await accepted.Task.WaitAsync(cancel.Token);
        await stream.SendAsync(new byte[4000], cancel.Token);
        UtpHeader first = await ReceiveAsync(h => h.Type == UtpType.Data && h.SeqNr == synAck.SeqNr);
        await ReceiveAsync(h => h.Type == UtpType.Data && h.SeqNr == (ushort)(first.SeqNr + 1));

        // The first data packet "lost", the second held out of order: a 5-byte selective ack, as libtorrent writes it,
        // on a packet of data (a request, say), which must be acked.
        byte[] sack = [0b0000_0001, 0, 0, 0, 0];
        Send(UtpType.Data, 102, (ushort)(first.SeqNr - 1), sack, "b"u8);
        UtpHeader acked = await ReceiveAsync(h => h.AckNr == 102);
        Assert.Equal(Id, acked.ConnectionId);
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
