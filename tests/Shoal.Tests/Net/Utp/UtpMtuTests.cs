using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Net.Utp;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Utp;

public class UtpMtuTests(ITestOutputHelper output)
{
    private const int Floor = 1400;
    private const int Ceiling = (32 << 10) + UtpPacket.HeaderSize;

    [Theory]
    [InlineData(1472)]
    [InlineData(9000)]
    [InlineData(Ceiling)]
    [InlineData(Ceiling + 1000)]
    public void The_search_finds_the_path_mtu_delivers_every_byte_and_never_cuts_the_window_for_a_probe(int mtu)
    {
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(20), Mtu = mtu };
        var options = new UtpConnectionOptions { PacketSize = Floor, MaxPacketSize = Ceiling };
        var link = new SimulatedLink(mtu, path, path, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        byte[] data = TempFolder.RandomBytes(8 << 20, mtu);
        var got = new MemoryStream();
        byte[] scratch = new byte[64 * 1024];
        int written = 0;
        Assert.True(link.RunUntil(() => got.Length == data.Length, TimeSpan.FromMinutes(10), () =>
        {
            written += link.A.Write(data.AsSpan(written));
            link.A.Flush();
            UtpConnectionTests.Drain(link.B!, got, scratch);

            link.B!.Flush();
        }));

        Assert.Equal(data, got.ToArray());
        UtpConnection a = link.A;
        output.WriteLine($"path MTU {mtu}: packets of {a.PacketSize} (ceiling {a.MtuCeiling}) after {link.Probes.Count} probes "
            + $"[{string.Join(", ", link.Probes.Select(p => $"{p.Size}{(p.Fits ? "" : " lost")}"))}] in {link.Now / 1e6:F1} virtual s; "
            + $"cwnd {a.CongestionWindow:N0}, {a.Counters}, {a.MtuCounters}");

        int found = Math.Min(mtu, Ceiling);
        Assert.InRange(a.PacketSize, Math.Max(Floor, found - 16), found);
        Assert.Equal(link.Probes.Count(p => !p.Fits), a.MtuCounters.ProbeLosses);
        Assert.Equal(0, a.MtuCounters.CongestionCuts);
        Assert.Equal(0, a.Counters.Timeouts);
        Assert.Equal(mtu < Ceiling, a.MtuCounters.ProbeLosses > 0);
    }

    [Fact]
    public void A_lost_probe_is_found_by_the_selective_acks_behind_it_without_a_window_cut_and_goes_again_unpadded()
    {
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(20), Mtu = 1472 };
        var options = new UtpConnectionOptions { PacketSize = Floor, MaxPacketSize = Ceiling };
        var link = new SimulatedLink(11, path, path, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        // Five packets' worth: the first goes as a probe with four behind it; the path drops it, the selective acks
        // of the packets behind tell its loss, and it goes again at its own size.
        double cwnd = link.A.CongestionWindow;
        byte[] data = TempFolder.RandomBytes(5 * (Floor - UtpPacket.HeaderSize), 11);
        Assert.Equal(data.Length, link.A.Write(data));
        link.A.Flush();
        Assert.Single(link.Probes);
        Assert.False(link.Probes[0].Fits);

        var got = new MemoryStream();
        byte[] scratch = new byte[64 * 1024];
        Assert.True(link.RunUntil(() => got.Length == data.Length, TimeSpan.FromSeconds(10), () =>
        {
            UtpConnectionTests.Drain(link.B!, got, scratch);
        }));
        Assert.Equal(data, got.ToArray());
        Assert.True(link.Now < UtpConnection.InitialTimeout, $"done at {link.Now} us, after a timeout");
        Assert.Equal((0L, 1L), (link.A.Counters.Timeouts, link.A.Counters.FastResends));
        Assert.Equal(1, link.A.MtuCounters.ProbeLosses);
        Assert.Equal(0, link.A.MtuCounters.CongestionCuts);
        Assert.True(link.A.CongestionWindow >= cwnd);
        Assert.Equal(Ceiling / 2 + (Floor / 2) - 1, link.A.MtuCeiling, tolerance: 1);
    }

    [Fact]
    public void A_probe_lost_alone_is_found_by_the_timeout_without_a_window_cut_and_goes_again_unpadded()
    {
        // The peer's window holds two packets: the probe and the two behind it go, the two are selectively acked
        // (too few to tell a loss) into a shut window, and the timeout finds the probe the only packet unacked.
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(20), Mtu = 1472 };
        var options = new UtpConnectionOptions { PacketSize = Floor, MaxPacketSize = Ceiling, ReceiveBufferSize = 2 * (Floor - UtpPacket.HeaderSize) };
        var link = new SimulatedLink(16, path, path, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        double cwnd = link.A.CongestionWindow;
        byte[] data = TempFolder.RandomBytes(5 * (Floor - UtpPacket.HeaderSize), 16);
        Assert.Equal(data.Length, link.A.Write(data));
        link.A.Flush();
        Assert.Single(link.Probes);

        var got = new MemoryStream();
        byte[] scratch = new byte[64 * 1024];
        Assert.True(link.RunUntil(() => got.Length == data.Length, TimeSpan.FromSeconds(10), () =>
        {
            UtpConnectionTests.Drain(link.B!, got, scratch);

            link.B!.Flush();
        }));
        Assert.Equal(data, got.ToArray());
        Assert.True(link.Now >= UtpConnection.MinimumTimeout, $"done at {link.Now} us, before the timeout");
        Assert.Equal((0L, 0L), (link.A.Counters.Timeouts, link.A.Counters.FastResends));
        Assert.Equal((1L, 0L), link.A.MtuCounters);
        Assert.True(link.A.CongestionWindow >= cwnd);
    }

    [Fact]
    public void A_lossy_path_with_probing_delivers_every_byte_both_ways()
    {
        var lossy = new PathShape { Loss = 0.03, Duplication = 0.02, Reordering = 0.1, Delay = TimeSpan.FromMilliseconds(50), Mtu = 9000 };
        var options = new UtpConnectionOptions { PacketSize = Floor, MaxPacketSize = Ceiling };
        var link = new SimulatedLink(12, lossy, lossy, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(30)));

        const int size = 4 << 20;
        byte[] fromA = TempFolder.RandomBytes(size, 12);
        byte[] fromB = TempFolder.RandomBytes(size, 13);
        var atA = new MemoryStream();
        var atB = new MemoryStream();
        int writtenA = 0;
        int writtenB = 0;
        byte[] scratch = new byte[64 * 1024];
        Assert.True(link.RunUntil(() => atA.Length == size && atB.Length == size, TimeSpan.FromHours(1), () =>
        {
            UtpConnection b = link.B!;
            writtenA += link.A.Write(fromA.AsSpan(writtenA));
            writtenB += b.Write(fromB.AsSpan(writtenB));
            UtpConnectionTests.Drain(link.A, atA, scratch);

            UtpConnectionTests.Drain(b, atB, scratch);

            link.A.Flush();
            b.Flush();
        }));

        Assert.Equal(fromA, atB.ToArray());
        Assert.Equal(fromB, atA.ToArray());
        output.WriteLine($"A packets {link.A.PacketSize}..{link.A.MtuCeiling} {link.A.MtuCounters}; B packets {link.B!.PacketSize}..{link.B.MtuCeiling} {link.B.MtuCounters}; {link.Now / 1e6:F0} virtual s");
        Assert.InRange(link.A.PacketSize, Floor, 9000);
        Assert.InRange(link.B.PacketSize, Floor, 9000);
    }

    [Fact]
    public void A_search_over_starts_again_after_its_interval()
    {
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(10), Mtu = 1472 };
        var options = new UtpConnectionOptions { PacketSize = Floor, MaxPacketSize = Ceiling, MtuSearchInterval = TimeSpan.FromSeconds(30) };
        var link = new SimulatedLink(14, path, path, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));
        byte[] chunk = TempFolder.RandomBytes(64 * 1024, 14);
        byte[] scratch = new byte[64 * 1024];
        link.RunUntil(() => false, TimeSpan.FromSeconds(70), () => link.Saturate(chunk, scratch));

        // The first search, then one more each 30 s, each starting over from the top (half way up from the floor).
        output.WriteLine($"{link.Probes.Count} probes: {string.Join(", ", link.Probes.Select(p => p.Size))}");
        Assert.Equal(3, link.Probes.Count(p => p.Size > Ceiling / 2));
        Assert.InRange(link.Probes.Count, 3 * 9, 3 * 13);
        Assert.InRange(link.A.PacketSize, 1472 - 16, 1472);
        Assert.Equal(0, link.A.MtuCounters.CongestionCuts);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(257)]
    [InlineData(258)]
    [InlineData(259)]
    [InlineData(514)]
    [InlineData(515)]
    [InlineData(31_000)]
    public void Padding_is_skipped_by_a_reader_and_a_truncated_probe_does_not_parse(int padding)
    {
        byte[] payload = TempFolder.RandomBytes(300, padding);
        var header = new UtpHeader { Type = UtpType.Data, ConnectionId = 7, SeqNr = 9, AckNr = 3, WindowSize = 1000 };
        byte[] datagram = new byte[UtpPacket.HeaderSize + padding + payload.Length];
        UtpPacket.Write(datagram, header, default);
        datagram[1] = UtpPacket.PaddingExtension;
        UtpPacket.WritePadding(datagram.AsSpan(UtpPacket.HeaderSize, padding));
        payload.CopyTo(datagram, UtpPacket.HeaderSize + padding);

        Assert.True(UtpPacket.TryRead(datagram, out UtpHeader read, out ReadOnlySpan<byte> sack, out ReadOnlySpan<byte> got));
        Assert.Equal(9, read.SeqNr);
        Assert.True(sack.IsEmpty);
        Assert.Equal(payload, got.ToArray());

        // Cut inside the padding (as a receiver with a small buffer may cut it), the chain runs past the end.
        for (int cut = UtpPacket.HeaderSize; cut < UtpPacket.HeaderSize + padding; cut += Math.Max(1, padding / 50))
        {
            Assert.False(UtpPacket.TryRead(datagram.AsSpan(0, cut), out _, out _, out _));
        }
    }

    /// <summary>
    /// A peer that takes no datagram over 1500 bytes, as libtorrent 2.0.8 (a 1500-byte receive buffer) on loopback: a
    /// relay in the middle drops them, or cuts them to 1500 bytes as a short read on Linux does. The transfer
    /// completes intact, and the sender's packets end up no larger than the relay passes whole.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_loopback_a_peer_that_takes_no_datagram_over_1500_bytes_still_gets_everything(bool truncate)
    {
        var accepted = new TaskCompletionSource<UtpStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using UtpSocket server = UtpSocket.Bind(0, stream =>
        {
            accepted.TrySetResult(stream);
            return Task.CompletedTask;
        });
        // A sender that would probe up to 32 KiB on loopback (the session stops at 1472 for libtorrent's sake).
        await using UtpSocket client = UtpSocket.Bind(0, accept: null, new UtpSocketOptions { LoopbackMtuCeiling = (32 << 10) + UtpPacket.HeaderSize });
        using var relay = new Relay(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), limit: 1500, truncate);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        using UtpStream outgoing = await client.ConnectAsync(relay.EndPoint, cancel.Token);
        using UtpStream incoming = await accepted.Task.WaitAsync(cancel.Token);
        const int size = 16 << 20;
        byte[] data = TempFolder.RandomBytes(size, 15);
        Task<byte[]> reading = Task.Run(async () =>
        {
            byte[] into = new byte[size];
            int got = 0;
            while (got < size)
            {
                int read = await incoming.ReceiveAsync(into.AsMemory(got, Math.Min(size - got, 64 * 1024)), cancel.Token);
                Assert.NotEqual(0, read);
                got += read;
            }

            return into;
        });
        for (int offset = 0; offset < size; offset += 64 * 1024)
        {
            await outgoing.SendAsync(data.AsMemory(offset, 64 * 1024), cancel.Token);
        }

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await reading));
        UtpConnection sender = outgoing.Connection;
        output.WriteLine($"sender packets {sender.PacketSize} (ceiling {sender.MtuCeiling}), {sender.MtuCounters}, {sender.Counters}; relay {(truncate ? "cut" : "dropped")} {relay.Dropped} datagrams over 1500 bytes");
        Assert.InRange(sender.PacketSize, 1400, 1500);
        Assert.True(relay.Dropped > 0);
    }

    /// <summary>Forwards datagrams between one client and a server, dropping (or truncating) those over a size.</summary>
    private sealed class Relay : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly IPEndPoint _server;
        private readonly int _limit;
        private readonly bool _truncate;
        private readonly Thread _thread;
        private IPEndPoint? _client;
        private volatile bool _stopped;
        private long _dropped;

        public Relay(IPEndPoint server, int limit, bool truncate)
        {
            _server = server;
            _limit = limit;
            _truncate = truncate;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _socket.ReceiveBufferSize = 4 << 20;
            _thread = new Thread(Run) { IsBackground = true, Name = "uTP test relay" };
            _thread.Start();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Dispose()
        {
            _stopped = true;
            _socket.Dispose();
            _thread.Join();
        }

        private void Run()
        {
            byte[] buffer = new byte[65536];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (!_stopped)
            {
                int length;
                try
                {
                    length = _socket.ReceiveFrom(buffer, ref from);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    if (_stopped)
                    {
                        return;
                    }

                    continue;
                }

                var sender = (IPEndPoint)from;
                IPEndPoint to = sender.Equals(_server) ? _client! : _server;
                if (!sender.Equals(_server))
                {
                    _client = sender;
                }

                if (length > _limit)
                {
                    Interlocked.Increment(ref _dropped);
                    if (!_truncate)
                    {
                        continue;
                    }

                    length = _limit;
                }

                try
                {
                    if (to is not null)
                    {
                        _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, to);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            }
        }
    }
}
