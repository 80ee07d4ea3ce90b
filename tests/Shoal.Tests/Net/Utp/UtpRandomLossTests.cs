using Shoal.Net.Utp;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Utp;

/// <summary>A path that drops packets at random, not for congestion: issue 16's lab (25 ms and 1 % loss each way).</summary>
public class UtpRandomLossTests(ITestOutputHelper output)
{
    private static readonly PathShape LabPath = new() { Delay = TimeSpan.FromMilliseconds(25), Loss = 0.01 };

    /// <summary>
    /// Each loss halves the window, so the speed is set by how fast it grows back: libtorrent (3000 bytes a round
    /// trip) moves 0.5 MiB/s through the lab's path; growing by one packet a round trip held us at 0.33 MiB/s.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_path_with_one_percent_random_loss_carries_what_libtorrent_gets_through_it(int seed)
    {
        var link = new SimulatedLink(seed, LabPath, LabPath);
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(10)));

        byte[] chunk = TempFolder.RandomBytes(1 << 20, seed);
        byte[] scratch = new byte[1 << 20];
        long start = link.Now;
        link.RunUntil(() => false, TimeSpan.FromSeconds(300), () => link.Saturate(chunk, scratch));

        double rate = link.DeliveredToB / ((link.Now - start) / 1e6) / (1 << 20);
        output.WriteLine($"{rate:F2} MiB/s; {link.A.Counters}, {link.A.MtuCounters}");
        Assert.True(rate > 0.42, $"only {rate:F2} MiB/s");
    }

    /// <summary>
    /// The receiver acks a burst once, so losing that one ack (or the few of a round trip) left the whole window
    /// unacked until the timeout (500 ms, and the window down to one packet); a tail loss probe two round trips on
    /// brings a fresh ack.
    /// </summary>
    [Fact]
    public void A_lost_ack_for_a_whole_window_costs_a_tail_probe_not_a_timeout()
    {
        // A small receive window keeps each window one burst, its acks few.
        var clean = new PathShape { Delay = TimeSpan.FromMilliseconds(25) };
        var link = new SimulatedLink(4, clean, clean, new UtpConnectionOptions { ReceiveBufferSize = 16 * 1024 });
        Assert.True(link.RunUntil(() => link.A.State == UtpState.Connected, TimeSpan.FromSeconds(10)));

        byte[] chunk = TempFolder.RandomBytes(1 << 20, 4);
        byte[] scratch = new byte[1 << 20];
        link.RunUntil(() => false, TimeSpan.FromSeconds(2), () => link.Saturate(chunk, scratch));
        // Every ack B sends for one round trip is lost: the window's packets all arrived, but A hears nothing of them.
        long lostUntil = link.Now + 60_000;
        int dropped = 0;
        link.Drop = (datagram, toB) => !toB && datagram[0] >> 4 == (int)UtpType.State && link.Now < lostUntil && ++dropped > 0;
        link.RunUntil(() => false, TimeSpan.FromSeconds(2), () => link.Saturate(chunk, scratch));

        output.WriteLine($"{dropped} ack(s) lost; {link.A.Counters}, {link.A.TailProbes} tail probe(s), cwnd {link.A.CongestionWindow:N0}");
        Assert.True(dropped > 0);
        Assert.Equal(0, link.A.Counters.Timeouts);
        Assert.True(link.A.TailProbes > 0);
    }
}
