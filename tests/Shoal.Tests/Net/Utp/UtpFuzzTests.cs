using System.Net;
using System.Net.Sockets;
using Shoal.Net.Utp;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Utp;

public class UtpFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;

    [Fact]
    public void Random_and_mutated_packets_never_throw_out_of_a_connection()
    {
        var time = new ManualTimeProvider();
        var clock = new UtpClock(time);
        var sink = new CountingSink();
        var mutator = new Mutator(29);
        var random = new Random(29);
        UtpConnection connection = NewConnection(clock, sink);
        int recreated = 0;

        FuzzResult result = FuzzRun.Run(output, "uTP connection", PerRun, i => Input(i, random, mutator, connection), input =>
        {
            bool parsed = UtpPacket.TryRead(input, out UtpHeader header, out ReadOnlySpan<byte> sack, out ReadOnlySpan<byte> payload);
            if (parsed)
            {
                connection.OnPacket(header, sack, payload);
            }

            if (input.Length % 7 == 0)
            {
                connection.Write(input);
            }

            if (input.Length % 5 == 0)
            {
                connection.Read(new byte[4096]);
            }

            connection.Flush();
            if (input.Length % 50 == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(300));
                connection.Tick();
            }

            if (connection.IsDone)
            {
                connection.Abandon();
                connection = NewConnection(clock, sink);
                recreated++;
            }

            return parsed;
        });

        output.WriteLine($"{recreated} connections failed or closed and were replaced; {sink.Sent:N0} packets sent");
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public async Task Random_and_mutated_datagrams_never_throw_out_of_the_demultiplexer_and_syn_floods_stay_bounded()
    {
        var time = new ManualTimeProvider();
        var options = new UtpSocketOptions { MaxHalfOpen = 16, MaxConnections = 200 };
        int accepted = 0;
        int fallback = 0;
        await using var socket = new UtpSocket(
            DatagramSocket(),
            stream =>
            {
                Interlocked.Increment(ref accepted);
                stream.Dispose();
                return Task.CompletedTask;
            },
            options,
            time);
        socket.Fallback = (_, _) => fallback++;
        var mutator = new Mutator(5);
        var random = new Random(5);
        SocketAddress[] peers = [.. Enumerable.Range(0, 40).Select(i => new IPEndPoint(IPAddress.Loopback, 20_000 + i).Serialize())];
        int most = 0;

        FuzzResult result = FuzzRun.Run(output, "uTP demultiplexer", PerRun, i => Input(i, random, mutator, connection: null), input =>
        {
            bool utp = UtpPacket.TryRead(input, out _, out _, out _);
            socket.Dispatch(input, peers[input.Length % peers.Length], input);
            socket.FlushDirty();
            if (input.Length % 100 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            most = Math.Max(most, socket.ConnectionCount);
            return utp;
        });

        output.WriteLine($"{accepted} connections established and dropped, {fallback} datagrams to the fallback, at most {most} connections at once");
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
        Assert.True(most <= options.MaxConnections, $"{most} connections");
        Assert.True(fallback > 0);
    }

    private static Socket DatagramSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static UtpConnection NewConnection(UtpClock clock, IUtpSink sink)
    {
        var syn = new UtpHeader { Type = UtpType.Syn, ConnectionId = 100, SeqNr = 500, WindowSize = 1 << 20 };
        var connection = UtpConnection.Accept(clock, sink, syn, 65_500, new UtpConnectionOptions { ReceiveBufferSize = 256 * 1024 });
        connection.Flush();
        return connection;
    }

    /// <summary>A tenth random bytes, the rest well-formed packets near the connection's numbers, often mutated after.</summary>
    private static byte[] Input(int i, Random random, Mutator mutator, UtpConnection? connection)
    {
        if (i % 10 == 0)
        {
            return mutator.RandomBytes(200);
        }

        var header = new UtpHeader
        {
            Type = (UtpType)random.Next(5),
            ConnectionId = (ushort)random.Next(98, 104),
            Timestamp = (uint)random.Next(),
            TimestampDifference = (uint)random.Next(3) == 0 ? 0 : (uint)random.Next(),
            WindowSize = (uint)random.Next(1 << 21),
            SeqNr = (ushort)(501 + random.Next(-40, 1200)),
            AckNr = (ushort)(65_500 + random.Next(-40, 400)),
        };
        byte[] sack = random.Next(4) == 0 ? new byte[4 * random.Next(1, 33)] : [];
        random.NextBytes(sack);
        byte[] payload = new byte[header.Type == UtpType.Data ? random.Next(1, 1400) : 0];
        random.NextBytes(payload);
        byte[] datagram = new byte[UtpPacket.HeaderLength(sack.Length) + payload.Length];
        int length = UtpPacket.Write(datagram, header, sack);
        payload.CopyTo(datagram, length);
        GC.KeepAlive(connection);
        return random.Next(3) == 0 ? mutator.Mutate(datagram) : datagram;
    }

    private sealed class CountingSink : IUtpSink
    {
        public long Sent { get; private set; }

        public void Send(ReadOnlySpan<byte> datagram)
        {
            Assert.True(UtpPacket.TryRead(datagram, out _, out _, out _));
            Sent++;
        }

        public bool SendProbe(ReadOnlySpan<byte> datagram)
        {
            Send(datagram);
            return true;
        }
    }
}
