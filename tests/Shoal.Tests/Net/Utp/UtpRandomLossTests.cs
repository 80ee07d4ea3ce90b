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
        link.RunUntil(() => false, TimeSpan.FromSeconds(300), () =>
        {
            while (link.A.Write(chunk) > 0)
            {
            }

            link.A.Flush();
            while (link.B!.Read(scratch) > 0)
            {
            }

            link.B.Flush();
        });

        double rate = link.DeliveredToB / ((link.Now - start) / 1e6) / (1 << 20);
        output.WriteLine($"{rate:F2} MiB/s; {link.A.Counters}, {link.A.MtuCounters}");
        Assert.True(rate > 0.42, $"only {rate:F2} MiB/s");
    }
}
