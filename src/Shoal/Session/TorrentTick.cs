using System.Net;
using Shoal.Net;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>
/// A running torrent's second: the swarm's tick (timeouts, keep-alives, choking, peer exchange), the peers it
/// heard of by peer exchange, the hole punches relays asked for (BEP 55), the addresses peers saw us at, the port to give peers, the DHT nodes peers named (BEP 5 PORT), the web seeds due again, the announces that are due, resume data when its time has come, and a look at a
/// complete torrent's files, which end the run if they changed.
/// </summary>
internal sealed class TorrentTick(TimeProvider time, Lock gate, TorrentConnections connections, TorrentWebSeeds webSeeds, TorrentTrackers trackers, ResumeKeeper resume, ContentWatch content, SessionReachability reachability, Action<IPEndPoint>? dhtContact)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Raised after each tick, off the caller's thread.</summary>
    public event Action? Ticked;

    /// <summary>Ticks <paramref name="swarm"/> once a second until cancelled.</summary>
    public async Task RunAsync(TorrentSwarm swarm, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await TickAsync(swarm, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TickAsync(TorrentSwarm swarm, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPEndPoint> exchanged;
        IReadOnlyList<(IPAddress Reporter, IPAddress Reported)> addresses;
        IReadOnlyList<HolepunchNotice> holepunch;
        IReadOnlyList<IPEndPoint> dhtNodes;
        bool complete;
        int port = reachability.AnnouncePort;
        int dhtPort = dhtContact is null ? 0 : reachability.DhtPort;
        lock (gate)
        {
            // The router may have mapped our ports since the last tick: handshakes and PORT messages from now on give its ports.
            swarm.ListenPort = port;
            swarm.DhtPort = dhtPort;
            swarm.Tick();
            exchanged = swarm.TakeDiscoveredPeers();
            addresses = swarm.TakeAddressReports();
            holepunch = swarm.TakeHolepunchNotices();
            dhtNodes = swarm.TakeDhtNodes();
            complete = swarm.IsComplete;
        }

        foreach (IPEndPoint node in dhtNodes)
        {
            dhtContact?.Invoke(node);
        }

        foreach ((IPAddress reporter, IPAddress reported) in addresses)
        {
            reachability.Votes.Report(reported, ExternalAddressSource.Peers, reporter.ToString());
        }

        connections.OnHolepunch(holepunch);

        content.Check(complete);

        // Adding peers dials every known one that is due, so this also retries those whose back-off has run out.
        connections.AddPeers(exchanged, PeerSource.Pex);
        webSeeds.Tick();
        trackers.Tick();
        if (resume.IsSaveDue)
        {
            await resume.SaveAsync(swarm, cancellationToken).ConfigureAwait(false);
        }

        Ticked?.Invoke();
    }
}
