using System.Diagnostics;
using Shoal.Net.PortMapping;
using Shoal.Node.Api;
using Shoal.Session;

namespace Shoal.Cli.Doctor;

/// <summary>
/// The doctor's own look: a session with the user's settings and no torrents, on the configured port, given up to
/// <c>--wait</c> for the router to answer and the DHT to fill, then read.
/// </summary>
public static class DoctorProbe
{
    /// <summary>A routing table this full has left bootstrapping: enough to judge the DHT by.</summary>
    private const int SettledDhtNodes = 8;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<DoctorFacts> RunAsync(SessionOptions options, TimeSpan wait, CancellationToken cancellationToken)
    {
        await using ShoalSession session = ShoalSession.Start(options);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait && !Settled(session))
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }

        ReachabilityStatus status = session.Reachability;
        return new DoctorFacts(
            "this machine, on a session of its own",
            session.RequestedPort,
            status.TcpPort,
            status.UdpPort,
            status.Mappings,
            status.ExternalAddress,
            status.ExternalAddressSource,
            GatewayFinder.FindDefault()?.InternalAddress,
            session.DhtState is { } dht ? DoctorDhtFacts.From(DhtReachabilityView.From(dht, options.Dht?.Bootstrap ?? [])) : null,
            DoctorHashingFacts.OfThisProcess());
    }

    private static bool Settled(ShoalSession session) =>
        session.Reachability.Mappings.All(m => m.State != PortMappingState.Mapping)
        && (session.DhtState is not { } dht || dht.RoutingTableSize >= SettledDhtNodes);
}
