using System.Net.Sockets;
using Shoal.Net.Utp;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Utp;

public class UtpConnectionTests(ITestOutputHelper output)
{
    private static readonly PathShape Lossy = new()
    {
        Loss = 0.05,
        Duplication = 0.02,
        Reordering = 0.1,
        Delay = TimeSpan.FromMilliseconds(100),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_lossy_reordering_duplicating_path_delivers_every_byte_both_ways_then_closes(int seed)
    {
        var link = new SimulatedLink(seed, Lossy, Lossy);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(30)));

        const int size = 4 << 20;
        byte[] fromA = TempFolder.RandomBytes(size, seed);
        byte[] fromB = TempFolder.RandomBytes(size, seed + 100);
        var atB = new MemoryStream();
        var atA = new MemoryStream();
        int writtenA = 0;
        int writtenB = 0;
        byte[] scratch = new byte[64 * 1024];
        bool done = link.RunUntil(
            () => atA.Length == size && atB.Length == size,
            TimeSpan.FromHours(2),
            () =>
            {
                UtpConnection b = link.B!;
                writtenA += link.A.Write(fromA.AsSpan(writtenA));
                writtenB += b.Write(fromB.AsSpan(writtenB));
                Drain(link.A, atA, scratch);
                Drain(b, atB, scratch);
                link.A.Flush();
                b.Flush();
            });

        Assert.True(done, $"A got {atA.Length:N0}, B got {atB.Length:N0} bytes by {link.Now / 1e6:F0} s");
        Assert.Equal(fromA, atB.ToArray());
        Assert.Equal(fromB, atA.ToArray());
        output.WriteLine($"8 MiB over 200 ms RTT and 5% loss in {link.Now / 1e6:F0} virtual s");

        link.A.Close();
        link.B!.Close();
        link.A.Flush();
        link.B.Flush();
        Assert.True(link.RunUntil(
            () => link.A.State == UtpState.Closed && link.B.State == UtpState.Closed && link.A.IsEndOfStream && link.B.IsEndOfStream,
            TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void A_clean_path_is_filled_at_its_rate()
    {
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(25), Rate = 10_000_000, QueueLimit = 1_000_000 };
        var link = new SimulatedLink(3, path, new PathShape { Delay = TimeSpan.FromMilliseconds(25) });
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        byte[] chunk = TempFolder.RandomBytes(1 << 20, 3);
        byte[] scratch = new byte[1 << 20];
        long start = link.Now;
        link.RunUntil(() => false, TimeSpan.FromSeconds(20), () => link.Saturate(chunk, scratch));

        double rate = link.DeliveredToB / ((link.Now - start) / 1e6);
        output.WriteLine($"{rate / 1e6:F2} MB/s through a 10 MB/s, 50 ms path; cwnd {link.A.CongestionWindow:N0}, rtt {link.A.RoundTripTime / 1000} ms");
        Assert.True(rate > 7_000_000, $"only {rate:N0} B/s");
    }

    [Fact]
    public void Ledbat_keeps_the_queue_of_a_deep_bottleneck_near_100_ms()
    {
        // 1 MB/s with a 4 MB queue: TCP would fill it, four seconds of delay.
        var path = new PathShape { Delay = TimeSpan.FromMilliseconds(20), Rate = 1_000_000, QueueLimit = 4_000_000 };
        var link = new SimulatedLink(4, path, new PathShape { Delay = TimeSpan.FromMilliseconds(20) });
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        byte[] chunk = TempFolder.RandomBytes(1 << 20, 4);
        byte[] scratch = new byte[1 << 20];
        long start = link.Now;
        link.RunUntil(() => false, TimeSpan.FromSeconds(90), () => link.Saturate(chunk, scratch));

        // After the first half minute (slow start's overshoot drained): the queue stays near the target.
        long settled = start + 30_000_000;
        long[] delays = link.QueueDelays.Where(d => d.At >= settled).Select(d => d.Delay).ToArray();
        double mean = delays.Average() / 1000;
        double max = delays.Max() / 1000.0;
        double rate = link.DeliveredToB / ((link.Now - start) / 1e6);
        output.WriteLine($"queuing delay after 30 s: mean {mean:F0} ms, max {max:F0} ms; {rate / 1e3:F0} kB/s of 1000; cwnd {link.A.CongestionWindow:N0}");
        Assert.InRange(mean, 50, 160);
        Assert.True(max < 400, $"the queue reached {max:F0} ms");
        Assert.True(rate > 800_000, $"only {rate:N0} B/s of the 1 MB/s bottleneck");
    }

    [Fact]
    public void A_peer_that_vanishes_times_the_connection_out_and_it_resets()
    {
        var clean = new PathShape { Delay = TimeSpan.FromMilliseconds(20) };
        var link = new SimulatedLink(5, clean, clean);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));
        link.A.Write(TempFolder.RandomBytes(10_000, 5));
        link.A.Flush();
        Assert.True(link.RunUntil(() => link.A.IsFlushed, TimeSpan.FromSeconds(5)));

        link.Cut = true;
        long cut = link.Now;
        link.A.Write(TempFolder.RandomBytes(10_000, 6));
        link.A.Flush();
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Failed, TimeSpan.FromMinutes(5)));
        Assert.Equal(SocketError.TimedOut, link.A.Error);
        output.WriteLine($"timed out after {(link.Now - cut) / 1e6:F1} s");
        Assert.InRange((link.Now - cut) / 1e6, 10, 120);
    }

    [Fact]
    public void A_connect_nobody_answers_times_out()
    {
        var link = new SimulatedLink(6, new PathShape(), new PathShape()) { Cut = true };
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Failed, TimeSpan.FromMinutes(2)));
        Assert.Equal(SocketError.TimedOut, link.A.Error);
    }

    [Fact]
    public void A_reset_from_the_peer_fails_the_connection_with_connection_reset()
    {
        var clean = new PathShape { Delay = TimeSpan.FromMilliseconds(20) };
        var link = new SimulatedLink(7, clean, clean);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));
        link.A.Write(TempFolder.RandomBytes(100, 7));
        link.A.Flush();
        Assert.True(link.RunUntil(() => link.B!.Available == 100, TimeSpan.FromSeconds(5)));

        link.B!.Reset();
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Failed, TimeSpan.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionReset, link.A.Error);
        Assert.Equal(0, link.A.Write([1, 2, 3]));
    }

    [Fact]
    public void A_reader_that_stops_shuts_the_window_and_the_writer_waits_then_resumes()
    {
        var clean = new PathShape { Delay = TimeSpan.FromMilliseconds(20) };
        var options = new UtpConnectionOptions { ReceiveBufferSize = 64 * 1024 };
        var link = new SimulatedLink(8, clean, clean, options);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        byte[] data = TempFolder.RandomBytes(300_000, 8);
        int written = 0;
        link.RunUntil(() => false, TimeSpan.FromSeconds(30), () =>
        {
            written += link.A.Write(data.AsSpan(written));
            link.A.Flush();
        });

        // B never read: it holds no more than its window, and A is still connected, probing.
        Assert.InRange(link.B!.Available, 60_000, 64 * 1024);
        Assert.Equal(UtpState.Connected, link.A.State);

        var got = new MemoryStream();
        byte[] scratch = new byte[16 * 1024];
        Assert.True(link.RunUntil(() => got.Length == data.Length, TimeSpan.FromMinutes(2), () =>
        {
            written += link.A.Write(data.AsSpan(written));
            link.A.Flush();
            Drain(link.B, got, scratch);
            link.B.Flush();
        }));
        Assert.Equal(data, got.ToArray());
    }

    [Fact]
    public void A_hole_is_selectively_acked_and_resent_after_three_packets_past_it_without_a_timeout()
    {
        var clean = new PathShape { Delay = TimeSpan.FromMilliseconds(20) };
        var link = new SimulatedLink(9, clean, clean);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(5)));

        // The first data packet is lost once; its seq_nr is the one after the SYN's (0xFFF0), across the wrap.
        ushort lost = 0xFFF1;
        bool dropped = false;
        int selectiveAcks = 0;
        link.Drop = (datagram, toB) =>
        {
            UtpPacket.TryRead(datagram, out UtpHeader header, out ReadOnlySpan<byte> sack, out _);
            if (!toB)
            {
                selectiveAcks += sack.IsEmpty ? 0 : 1;
                return false;
            }

            if (header.Type == UtpType.Data && header.SeqNr == lost && !dropped)
            {
                dropped = true;
                return true;
            }

            return false;
        };

        byte[] data = TempFolder.RandomBytes(10 * link.A.MaxPayload, 9);
        Assert.Equal(data.Length, link.A.Write(data));
        link.A.Flush();
        var got = new MemoryStream();
        byte[] scratch = new byte[64 * 1024];
        Assert.True(link.RunUntil(() => got.Length == data.Length, TimeSpan.FromSeconds(2), () => Drain(link.B!, got, scratch)));

        Assert.True(dropped);
        Assert.Equal(data, got.ToArray());
        Assert.True(selectiveAcks > 0);
        Assert.Equal((0L, 1L), (link.A.Counters.Timeouts, link.A.Counters.FastResends));
    }

    /// <summary>Reads all <paramref name="connection"/> has for its reader into <paramref name="into"/>.</summary>
    internal static void Drain(UtpConnection connection, MemoryStream into, byte[] scratch)
    {
        int read;
        while ((read = connection.Read(scratch)) > 0)
        {
            into.Write(scratch, 0, read);
        }
    }
}
