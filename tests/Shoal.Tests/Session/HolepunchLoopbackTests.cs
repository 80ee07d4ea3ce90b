using Shoal.Session;
using Shoal.Swarm;
using Shoal.Tests.Logging;

namespace Shoal.Tests.Session;

/// <summary>
/// BEP 55 on 127.0.0.1. A and B speak uTP alone, and their uTP sockets drop datagrams from any endpoint they have not
/// sent to themselves, as a home router's filter does (<see cref="SessionOptions.UtpDropsUnsolicited"/>): neither can
/// reach the other by dialling, only by both dialling at once. R, reachable, is connected to both and relays.
/// </summary>
public sealed class HolepunchLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// B learns A by R's PEX and cannot dial it; it asks R for a rendezvous, both dial, and A's pieces reach B over
    /// the punched uTP connection. A hears of B from R only a minute later (BEP 11's interval: R told it of a third
    /// peer first), so A never dials B of its own accord and no dial crosses B's by chance.
    /// </summary>
    [Fact]
    public async Task Two_peers_behind_filters_connect_through_a_relays_rendezvous_and_transfer_directly()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(1_000_000);
        ShoalSession relay = swarm.StartSession();
        // The relay fetches slowly: B's pieces come from A, not from what the relay got.
        relay.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("r"), DownloadLimit = 16 * 1024 });

        using var aLogs = new CapturingLoggers();
        ShoalSession a = swarm.StartSession(configure: o => o with { Tcp = false, UtpDropsUnsolicited = true, Loggers = aLogs });
        a.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Peers = [relay.ListenEndPoint] });
        await using var third = new ListeningFakePeer(swarm.Torrent.InfoHashes);
        third.Join(relay.ListenEndPoint);
        await WaitUntilAsync(() => aLogs.Lines.Any(l => l.Contains("from Pex", StringComparison.Ordinal)));

        using var bLogs = new CapturingLoggers();
        ShoalSession b = swarm.StartSession(configure: o => o with { Tcp = false, UtpDropsUnsolicited = true, Loggers = bLogs });
        TorrentHandle fetched = b.Add(swarm.Torrent, new AddTorrentOptions { SavePath = swarm.DownloadFolder("b"), Peers = [relay.ListenEndPoint] });
        await fetched.Completion.WaitAsync(Timeout);

        swarm.AssertDownloaded(swarm.DownloadFolder("b"));
        SwarmStatus status = fetched.GetStatus().Swarm;
        Assert.True(
            status.DownloadedByPeerId.GetValueOrDefault(PeerIdText.Format(a.PeerId.Span)) > swarm.Torrent.TotalSize / 2,
            $"B got {status.DownloadedByPeerId.GetValueOrDefault(PeerIdText.Format(a.PeerId.Span))} bytes from A");
        Assert.Contains(bLogs.Lines, l => l.Contains($"asked {relay.ListenEndPoint.Address}", StringComparison.Ordinal) && l.Contains("rendezvous", StringComparison.Ordinal));
        Assert.Contains(aLogs.Lines.Concat(bLogs.Lines), l => l.Contains("hole punched to", StringComparison.Ordinal) && l.Contains("over Utp", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true in time");
            await Task.Delay(50);
        }
    }
}
